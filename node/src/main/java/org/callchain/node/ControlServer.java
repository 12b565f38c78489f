package org.callchain.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.callchain.node.config.NodeConfig;
import org.callchain.phone.PhoneException;

/**
 * The control and metrics HTTP server on loopback (NODE-CONTRACT.md): {@code GET /metrics} in the
 * Prometheus text format, {@code GET /status} and {@code POST /calls} as JSON. The JDK's own HTTP
 * server is enough for a loopback API; its handler threads are made on demand and idle ones exit.
 */
public final class ControlServer implements AutoCloseable {
  /** What the server serves; the node implements it, unit tests use a double. */
  public interface Api {
    Map<String, Object> status();

    void writeMetrics(OutputStream out) throws IOException;

    CallOutcome placeCall(String to, Duration talk, String dtmf)
        throws PhoneException, InterruptedException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 16 * 1024;
  private static final int MAX_REQUESTS = 256;
  private static final Duration MAX_CALL = Duration.ofMinutes(10);

  private final HttpServer server;
  private final ExecutorService executor;

  private ControlServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static ControlServer start(NodeConfig.Control config, CallchainNode node) throws IOException {
    return start(config.host(), config.port(), nodeApi(node));
  }

  public static ControlServer start(String host, int port, Api api) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    // POST /calls holds its thread for the whole call: threads are made on demand (a load test
    // drives many calls at once) and idle ones exit; beyond MAX_REQUESTS a request is refused.
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            MAX_REQUESTS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "control-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, api));
    server.start();
    return new ControlServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void handle(HttpExchange exchange, Api api) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      switch (path) {
        case "/metrics" -> {
          if (requireMethod(exchange, method, "GET")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            api.writeMetrics(body);
            send(exchange, 200, NodeMetrics.contentType(), body.toByteArray());
          }
        }
        case "/status" -> {
          if (requireMethod(exchange, method, "GET")) {
            sendJson(exchange, 200, api.status());
          }
        }
        case "/calls" -> {
          if (requireMethod(exchange, method, "POST")) {
            placeCall(exchange, api);
          }
        }
        default -> sendError(exchange, 404, "no such resource: " + path);
      }
    } catch (RuntimeException e) {
      sendError(exchange, 500, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private static void placeCall(HttpExchange exchange, Api api) throws IOException {
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        sendError(exchange, 413, "request body over " + MAX_BODY + " bytes");
        return;
      }
      body = JSON.readTree(bytes);
    } catch (IOException e) {
      sendError(exchange, 400, "body is not JSON: " + e.getMessage());
      return;
    }
    if (body == null || !body.isObject()) {
      sendError(exchange, 400, "body must be a JSON object {\"to\":\"sip:...\"}");
      return;
    }
    String to = body.path("to").asText("");
    if (!to.startsWith("sip:") && !to.startsWith("sips:")) {
      sendError(exchange, 400, "'to' must be a sip: URI");
      return;
    }
    JsonNode durationNode = body.path("durationMillis");
    long millis = durationNode.isMissingNode() ? 3000 : durationNode.asLong(-1);
    if (!durationNode.isMissingNode() && !durationNode.canConvertToLong()
        || millis < 0
        || millis > MAX_CALL.toMillis()) {
      sendError(exchange, 400, "'durationMillis' must be 0.." + MAX_CALL.toMillis());
      return;
    }
    String dtmf = body.path("dtmf").asText("");
    if (!dtmf.matches("[0-9*#A-Da-d]*")) {
      sendError(exchange, 400, "'dtmf' may hold only 0-9, *, # and A-D");
      return;
    }
    CallOutcome outcome;
    try {
      outcome = api.placeCall(to, Duration.ofMillis(millis), dtmf);
    } catch (PhoneException e) {
      sendError(exchange, 422, e.getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sendError(exchange, 503, "the node is stopping");
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", outcome.outcome());
    out.put("sipCode", outcome.sipCode());
    out.put("reason", outcome.reason());
    out.put("callId", outcome.callId());
    out.put("recordCallId", outcome.recordCallId().orElse(null));
    out.put("leafIndex", outcome.leafIndex().orElse(null));
    sendJson(exchange, 200, out);
  }

  private static boolean requireMethod(HttpExchange exchange, String method, String wanted)
      throws IOException {
    if (method.equals(wanted)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", wanted);
    sendError(exchange, 405, method + " is not allowed here; use " + wanted);
    return false;
  }

  private static void sendError(HttpExchange exchange, int code, String message)
      throws IOException {
    sendJson(exchange, code, Map.of("error", message));
  }

  private static void sendJson(HttpExchange exchange, int code, Object value) throws IOException {
    send(exchange, code, "application/json", JSON.writeValueAsBytes(value));
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Api nodeApi(CallchainNode node) {
    return new Api() {
      @Override
      public Map<String, Object> status() {
        return NodeStatus.of(node);
      }

      @Override
      public void writeMetrics(OutputStream out) throws IOException {
        node.metrics().writeText(out);
      }

      @Override
      public CallOutcome placeCall(String to, Duration talk, String dtmf)
          throws PhoneException, InterruptedException {
        return node.calls().place(to, talk, dtmf, CallchainNode.RECORD_WAIT);
      }
    };
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
