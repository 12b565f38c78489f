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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.callchain.node.config.NodeConfig;
import org.callchain.phone.PhoneException;

/**
 * The control and metrics HTTP server on loopback (NODE-CONTRACT.md): {@code GET /metrics} in the
 * Prometheus text format, {@code GET /status} and {@code POST /calls} as JSON. The JDK's own HTTP
 * server is enough for a loopback API. A {@code POST /calls} is answered when its call has ended,
 * from the call's completion: no handler thread waits for a call, so two threads serve any number
 * of calls in progress (bounded by {@value #MAX_CALLS}).
 */
public final class ControlServer implements AutoCloseable {
  /** What the server serves; the node implements it, unit tests use a double. */
  public interface Api {
    Map<String, Object> status();

    void writeMetrics(OutputStream out) throws IOException;

    /** Places the call; the future completes once it has ended (and its record is durable). */
    CompletableFuture<CallOutcome> placeCall(String to, Duration talk, String dtmf)
        throws PhoneException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 16 * 1024;
  private static final int MAX_CALLS = 256;
  private static final int HANDLER_THREADS = 2;
  private static final Duration MAX_CALL = Duration.ofMinutes(10);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Api api;

  /** Calls in progress by their pending answer; answered 503 when the server closes. */
  private final Set<CompletableFuture<CallOutcome>> calls = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean closed = new AtomicBoolean();

  private ControlServer(HttpServer server, ExecutorService executor, Api api) {
    this.server = server;
    this.executor = executor;
    this.api = api;
  }

  static ControlServer start(NodeConfig.Control config, CallchainNode node) throws IOException {
    return start(config.host(), config.port(), nodeApi(node));
  }

  public static ControlServer start(String host, int port, Api api) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            HANDLER_THREADS,
            r -> {
              Thread t = new Thread(r, "control-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    ControlServer control = new ControlServer(server, executor, api);
    server.createContext("/", control::handle);
    server.start();
    return control;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    boolean answered = true;
    try {
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
            answered = placeCall(exchange);
          }
        }
        default -> sendError(exchange, 404, "no such resource: " + path);
      }
    } catch (RuntimeException e) {
      sendError(exchange, 500, e.getMessage() == null ? e.toString() : e.getMessage());
    } finally {
      if (answered) {
        exchange.close();
      }
    }
  }

  /**
   * Validates the body and places the call; returns false when the call is under way and its answer
   * will be sent (and the exchange closed) when it ends.
   */
  private boolean placeCall(HttpExchange exchange) throws IOException {
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        sendError(exchange, 413, "request body over " + MAX_BODY + " bytes");
        return true;
      }
      body = JSON.readTree(bytes);
    } catch (IOException e) {
      sendError(exchange, 400, "body is not JSON: " + e.getMessage());
      return true;
    }
    if (body == null || !body.isObject()) {
      sendError(exchange, 400, "body must be a JSON object {\"to\":\"sip:...\"}");
      return true;
    }
    String to = body.path("to").asText("");
    if (!to.startsWith("sip:") && !to.startsWith("sips:")) {
      sendError(exchange, 400, "'to' must be a sip: URI");
      return true;
    }
    JsonNode durationNode = body.path("durationMillis");
    long millis = durationNode.isMissingNode() ? 3000 : durationNode.asLong(-1);
    if (!durationNode.isMissingNode() && !durationNode.canConvertToLong()
        || millis < 0
        || millis > MAX_CALL.toMillis()) {
      sendError(exchange, 400, "'durationMillis' must be 0.." + MAX_CALL.toMillis());
      return true;
    }
    String dtmf = body.path("dtmf").asText("");
    if (!dtmf.matches("[0-9*#A-Da-d]*")) {
      sendError(exchange, 400, "'dtmf' may hold only 0-9, *, # and A-D");
      return true;
    }
    if (closed.get()) {
      sendError(exchange, 503, "the node is stopping");
      return true;
    }
    if (calls.size() >= MAX_CALLS) {
      sendError(exchange, 503, "over " + MAX_CALLS + " calls in progress");
      return true;
    }
    CompletableFuture<CallOutcome> outcome;
    try {
      outcome = api.placeCall(to, Duration.ofMillis(millis), dtmf).copy();
    } catch (PhoneException e) {
      sendError(exchange, 422, e.getMessage());
      return true;
    }
    calls.add(outcome);
    outcome.whenCompleteAsync(
        (o, failure) -> {
          calls.remove(outcome);
          try (exchange) {
            if (failure == null) {
              sendJson(exchange, 200, json(o));
            } else if (failure instanceof ServerClosed) {
              sendError(exchange, 503, "the node is stopping");
            } else {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              sendError(
                  exchange,
                  500,
                  cause.getMessage() == null ? cause.toString() : cause.getMessage());
            }
          } catch (IOException | RuntimeException clientGone) {
            // the client hung up or the server closed: there is no one left to answer
          }
        },
        this::answerOnHandlerThread);
    return false;
  }

  /**
   * Answers go out on a handler thread, not on the thread that ended the call (the phone's or the
   * ledger's); once the server has closed, on the caller's thread rather than throwing into it.
   */
  private void answerOnHandlerThread(Runnable answer) {
    try {
      executor.execute(answer);
    } catch (RejectedExecutionException closedMeanwhile) {
      answer.run();
    }
  }

  private static Map<String, Object> json(CallOutcome outcome) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", outcome.outcome());
    out.put("sipCode", outcome.sipCode());
    out.put("reason", outcome.reason());
    out.put("callId", outcome.callId());
    out.put("recordCallId", outcome.recordCallId().orElse(null));
    out.put("leafIndex", outcome.leafIndex().orElse(null));
    return out;
  }

  /** Why a call's answer is 503: the server closed while it was in progress. */
  private static final class ServerClosed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerClosed() {
      super("the node is stopping", null, false, false);
    }
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
      public CompletableFuture<CallOutcome> placeCall(String to, Duration talk, String dtmf)
          throws PhoneException {
        return node.calls().place(to, talk, dtmf, CallchainNode.RECORD_WAIT);
      }
    };
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Calls still in progress are answered 503 before the connections close.
    ServerClosed closed = new ServerClosed();
    calls.forEach(c -> c.completeExceptionally(closed));
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
