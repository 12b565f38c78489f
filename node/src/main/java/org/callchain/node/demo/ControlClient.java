package org.callchain.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client of a running node's control HTTP (NODE-CONTRACT: {@code GET /status}, {@code POST
 * /calls}), as the demo and the acceptance tests use it.
 */
public final class ControlClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST = Duration.ofSeconds(5);

  private final URI base;
  private final HttpClient http;

  public ControlClient(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().connectTimeout(REQUEST).build();
  }

  public URI base() {
    return base;
  }

  /** {@code GET /status}: registration, peers, own log, last anchor, replicas. */
  public ControlStatus status() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/status")).timeout(REQUEST).GET().build();
    return new ControlStatus(send(request));
  }

  /** {@code GET /metrics}: the Prometheus text exposition. */
  public String metrics() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/metrics")).timeout(REQUEST).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + request.uri() + " answered " + response.statusCode());
    }
    return response.body();
  }

  /**
   * {@code POST /calls}: the node calls {@code to} from its own phone, stays {@code talk} once
   * answered, hangs up, and answers when the call has ended.
   */
  public JsonNode placeCall(String to, Duration talk) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("to", to);
    body.put("durationMillis", talk.toMillis());
    body.put("dtmf", "");
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/calls"))
            .timeout(talk.plusSeconds(40))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    return send(request);
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return JSON.readTree(response.body());
  }
}
