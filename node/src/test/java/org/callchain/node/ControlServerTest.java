package org.callchain.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.callchain.ledger.replication.Delivery;
import org.callchain.ledger.replication.RejectionReason;
import org.callchain.phone.PhoneException;
import org.callchain.phone.spi.AdmissionVerdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control API's HTTP contract, over a real loopback socket, with a test double behind it. */
class ControlServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private static final CallOutcome ANSWERED =
      new CallOutcome("ANSWERED", 200, "OK", "c1@127.0.0.1", Optional.of("ab12"), Optional.of(4L));
  private final List<String> placed = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<CallOutcome>> inProgress = new CopyOnWriteArrayList<>();
  private final NodeMetrics metrics = new NodeMetrics();
  private ControlServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        ControlServer.start(
            "127.0.0.1",
            0,
            new ControlServer.Api() {
              @Override
              public Map<String, Object> status() {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", "0xabc");
                m.put("lastAnchor", null);
                return m;
              }

              @Override
              public void writeMetrics(OutputStream out) throws IOException {
                metrics.writeText(out);
              }

              @Override
              public CompletableFuture<CallOutcome> placeCall(String to, Duration talk, String dtmf)
                  throws PhoneException {
                if (to.contains("unroutable")) {
                  throw new PhoneException("cannot reach " + to);
                }
                placed.add(to + " " + talk.toMillis() + " " + dtmf);
                if (to.contains("long")) {
                  CompletableFuture<CallOutcome> call = new CompletableFuture<>();
                  inProgress.add(call);
                  return call;
                }
                return CompletableFuture.completedFuture(ANSWERED);
              }
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
    return http.sendAsync(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitInProgress(int calls) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (inProgress.size() < calls) {
      assertThat(System.nanoTime()).as("%d calls placed within 30 s", calls).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void statusIsJson() throws Exception {
    HttpResponse<String> r = get("/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode s = JSON.readTree(r.body());
    assertThat(s.path("device").asText()).isEqualTo("0xabc");
    assertThat(s.path("lastAnchor").isNull()).isTrue();
  }

  @Test
  void metricsAreThePrometheusTextFormat() throws Exception {
    metrics.alert(NodeMetrics.Alert.EQUIVOCATION);
    metrics.admissionVerdict(
        new AdmissionVerdict(false, 403, "unregistered device", "UNREGISTERED", Optional.empty()));
    metrics.admissionVerdict(AdmissionVerdict.accept("registered device"));
    metrics.gossipArrived(1_000, 1_250);
    metrics.leavesSynced(3);
    metrics.rejected(Delivery.GOSSIP, RejectionReason.BAD_SIGNATURE);
    metrics.rejected(Delivery.SYNC, RejectionReason.MALFORMED);

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body())
        .contains("# TYPE callchain_audit_alerts_total counter")
        .contains("callchain_audit_alerts_total{kind=\"equivocation\"} 1.0")
        .contains("callchain_audit_alerts_total{kind=\"rejected_commit\"} 0.0")
        .contains("callchain_admission_verdicts_total{code=\"403\",outcome=\"unregistered\"} 1.0")
        .contains(
            "callchain_admission_verdicts_total{code=\"\",outcome=\"accepted_unverified\"} 1.0")
        .contains("callchain_gossip_delay_seconds_bucket{le=\"0.25\"} 1")
        .contains("callchain_gossip_delay_seconds_count 1")
        .contains("callchain_sync_leaves_total 3.0")
        .contains("callchain_gossip_rejected_total{reason=\"bad_signature\"} 1.0")
        .contains("callchain_gossip_rejected_total{reason=\"not_registered\"} 0.0")
        .contains("callchain_sync_rejected_total{reason=\"malformed\"} 1.0");
  }

  @Test
  void postCallsPlacesTheCallAndAnswersItsOutcome() throws Exception {
    HttpResponse<String> r =
        post(
            "/calls",
            "{\"to\":\"sip:bob@127.0.0.1:5072\",\"durationMillis\":1500,\"dtmf\":\"12#\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode o = JSON.readTree(r.body());
    assertThat(o.path("outcome").asText()).isEqualTo("ANSWERED");
    assertThat(o.path("sipCode").asInt()).isEqualTo(200);
    assertThat(o.path("reason").asText()).isEqualTo("OK");
    assertThat(o.path("callId").asText()).isEqualTo("c1@127.0.0.1");
    assertThat(o.path("recordCallId").asText()).isEqualTo("ab12");
    assertThat(o.path("leafIndex").asLong()).isEqualTo(4);
    assertThat(placed).containsExactly("sip:bob@127.0.0.1:5072 1500 12#");
  }

  @Test
  void callsInProgressHoldNoHandlerThreadAndAreAnsweredWhenTheyEnd() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(postAsync("/calls", "{\"to\":\"sip:long" + i + "@127.0.0.1\"}"));
    }
    awaitInProgress(20);

    // 20 calls in progress, two handler threads: the server still answers.
    assertThat(get("/status").statusCode()).isEqualTo(200);
    assertThat(answers).noneMatch(CompletableFuture::isDone);
    inProgress.forEach(c -> c.complete(ANSWERED));

    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("outcome").asText()).isEqualTo("ANSWERED");
    }
  }

  @Test
  void aCallThatFailsIsAnswered500WithItsReason() throws Exception {
    CompletableFuture<HttpResponse<String>> answer =
        postAsync("/calls", "{\"to\":\"sip:long@127.0.0.1\"}");
    awaitInProgress(1);

    inProgress.get(0).completeExceptionally(new IllegalStateException("the call did not finish"));

    HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("the call did not finish");
  }

  @Test
  void aCallInProgressWhenTheServerClosesIsAnswered503() throws Exception {
    CompletableFuture<HttpResponse<String>> answer =
        postAsync("/calls", "{\"to\":\"sip:long@127.0.0.1\"}");
    awaitInProgress(1);

    server.close();

    HttpResponse<String> r = answer.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("the node is stopping");
  }

  @Test
  void theDurationDefaultsToThreeSeconds() throws Exception {
    assertThat(post("/calls", "{\"to\":\"sip:bob@127.0.0.1\"}").statusCode()).isEqualTo(200);
    assertThat(placed).containsExactly("sip:bob@127.0.0.1 3000 ");
  }

  @Test
  void badRequestsAreRefusedWithAReasonAndPlaceNoCall() throws Exception {
    assertThat(post("/calls", "not json").statusCode()).isEqualTo(400);
    assertThat(post("/calls", "[1]").statusCode()).isEqualTo(400);
    HttpResponse<String> noSip = post("/calls", "{\"to\":\"bob\"}");
    assertThat(noSip.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noSip.body()).path("error").asText()).contains("sip: URI");
    assertThat(post("/calls", "{\"to\":\"sip:b@h\",\"durationMillis\":-1}").statusCode())
        .isEqualTo(400);
    assertThat(post("/calls", "{\"to\":\"sip:b@h\",\"durationMillis\":\"x\"}").statusCode())
        .isEqualTo(400);
    assertThat(post("/calls", "{\"to\":\"sip:b@h\",\"dtmf\":\"12x\"}").statusCode()).isEqualTo(400);
    assertThat(
            post("/calls", "{\"to\":\"sip:b@h\"," + "\"x\":\"" + "a".repeat(20_000) + "\"}")
                .statusCode())
        .isEqualTo(413);
    assertThat(placed).isEmpty();
  }

  @Test
  void aCallThePhoneCannotPlaceIs422() throws Exception {
    HttpResponse<String> r = post("/calls", "{\"to\":\"sip:x@unroutable\"}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(r.body()).path("error").asText()).contains("cannot reach");
  }

  @Test
  void unknownPathsAndWrongMethodsAreRefused() throws Exception {
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> r = get("/calls");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    assertThat(post("/status", "{}").statusCode()).isEqualTo(405);
  }
}
