package org.callchain.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.callchain.node.config.NodeConfig;

/** The client side of a running node's control API, for {@code status} and {@code call}. */
final class NodeClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private NodeClient(URI base) {
    this.base = base;
  }

  static NodeClient forConfig(Path configFile) {
    NodeConfig config = NodeCommand.read(configFile);
    return new NodeClient(
        URI.create("http://" + config.control().host() + ":" + config.control().port()));
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET());
  }

  JsonNode post(String path, Object body, Duration timeout) {
    try {
      return send(
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    } catch (IOException e) {
      throw new CliException("cannot encode the request: " + e.getMessage());
    }
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new CliException("no node is running at " + base + " (start it with 'callchain node')");
    } catch (IOException e) {
      throw new CliException("the node at " + base + " did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CliException("the node at " + base + " sent no JSON: " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      throw new CliException("the node refused: " + body.path("error").asText(body.toString()));
    }
    return body;
  }
}
