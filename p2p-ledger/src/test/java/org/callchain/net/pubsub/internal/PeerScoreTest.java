package org.callchain.net.pubsub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.callchain.net.pubsub.PeerKey;
import org.callchain.net.pubsub.PeerScoreParams;
import org.callchain.net.pubsub.TopicScoreParams;
import org.junit.jupiter.api.Test;

/** The score function of gossipsub-v1.1.md "The Score Function", one parameter at a time. */
class PeerScoreTest {
  private static final String TOPIC = "records";
  private static final PeerKey A = PeerKey.of(new byte[] {1});
  private static final PeerKey B = PeerKey.of(new byte[] {2});
  private static final PeerKey C = PeerKey.of(new byte[] {3});

  private long now = 1_000_000;

  /** Only the parameter under test is weighted. */
  private static TopicScoreParams topic(double p1, double p2, double p3, double p3b, double p4) {
    return new TopicScoreParams(
        1.0,
        p1,
        Duration.ofSeconds(1),
        10,
        p2,
        0.5,
        5,
        p3,
        0.5,
        10,
        4,
        Duration.ofMillis(10),
        Duration.ofSeconds(1),
        p3b,
        0.5,
        p4,
        0.5);
  }

  private static PeerScoreParams params(TopicScoreParams topic, double p6, double p7) {
    return new PeerScoreParams(
        Map.of(TOPIC, topic),
        Optional.empty(),
        0,
        peer -> 0,
        1,
        p6,
        1,
        Set.of("10.0.0.9"),
        p7,
        1,
        0.5,
        Duration.ofSeconds(1),
        0.01,
        Duration.ofMinutes(1));
  }

  private PeerScore score(PeerScoreParams params) {
    return new PeerScore(params, () -> now, 120_000);
  }

  @Test
  void timeInMeshCountsQuantaUpToTheCap() {
    PeerScore s = score(params(topic(1, 0, 0, 0, 0), 0, 0));
    s.addPeer(A, Optional.empty());
    s.graft(A, TOPIC);
    now += 3_500;
    assertThat(s.score(A)).isCloseTo(3.5, within(1e-9));
    now += 60_000;
    assertThat(s.score(A)).isEqualTo(10);
    s.prune(A, TOPIC);
    assertThat(s.score(A)).isZero();
  }

  @Test
  void firstDeliveriesAreCappedAndDecay() {
    PeerScore s = score(params(topic(0, 1, 0, 0, 0), 0, 0));
    s.addPeer(A, Optional.empty());
    for (int i = 0; i < 8; i++) {
      MessageId id = MessageId.of(new byte[] {(byte) i});
      s.validating(id);
      s.delivered(A, id, TOPIC);
    }
    assertThat(s.score(A)).isEqualTo(5);
    s.refresh();
    assertThat(s.score(A)).isEqualTo(2.5);
  }

  @Test
  void meshDeliveryDeficitIsPenalisedAfterActivationAndStickyAfterPrune() {
    PeerScore s = score(params(topic(0, 0, -1, -2, 0), 0, 0));
    s.addPeer(A, Optional.empty());
    s.graft(A, TOPIC);
    MessageId id = MessageId.of(new byte[] {9});
    s.validating(id);
    s.delivered(A, id, TOPIC);
    assertThat(s.score(A)).as("not active yet").isZero();
    now += 1_500;
    s.refresh(); // activates; the delivery counter decays from 1 to 0.5
    assertThat(s.score(A)).as("deficit (4 - 0.5)^2 * -1").isCloseTo(-12.25, within(1e-9));
    s.prune(A, TOPIC);
    assertThat(s.score(A))
        .as("P3b keeps the squared deficit, weight -2")
        .isCloseTo(-24.5, within(1e-9));
  }

  @Test
  void duplicatesFromMeshPeersInsideTheWindowCountAsMeshDeliveries() {
    PeerScore s = score(params(topic(0, 0, -1, 0, 0), 0, 0));
    s.addPeer(A, Optional.empty());
    s.addPeer(B, Optional.empty());
    s.graft(B, TOPIC);
    now += 2_000;
    s.refresh();
    MessageId id = MessageId.of(new byte[] {1});
    s.validating(id);
    s.duplicate(B, id, TOPIC); // arrives while validating
    s.delivered(A, id, TOPIC);
    assertThat(s.score(B)).as("(4 - 1)^2 * -1").isEqualTo(-9);
  }

  @Test
  void invalidMessagesArePenalisedSquaredIncludingPeersThatForwardedTheSameMessage() {
    PeerScore s = score(params(topic(0, 0, 0, 0, -1), 0, 0));
    s.addPeer(A, Optional.empty());
    s.addPeer(B, Optional.empty());
    MessageId id = MessageId.of(new byte[] {1});
    s.validating(id);
    s.duplicate(B, id, TOPIC);
    s.rejected(A, id, TOPIC);
    MessageId id2 = MessageId.of(new byte[] {2});
    s.validating(id2);
    s.rejected(A, id2, TOPIC);
    assertThat(s.score(A)).isEqualTo(-4);
    assertThat(s.score(B)).isEqualTo(-1);
    s.duplicate(C, id, TOPIC);
    assertThat(s.score(C)).as("unknown peers have no score").isZero();
  }

  @Test
  void ignoredMessagesCostNothing() {
    PeerScore s = score(params(topic(0, 1, 0, 0, -1), 0, 0));
    s.addPeer(A, Optional.empty());
    MessageId id = MessageId.of(new byte[] {1});
    s.validating(id);
    s.duplicate(A, id, TOPIC);
    s.ignored(id);
    assertThat(s.score(A)).isZero();
  }

  @Test
  void ipColocationPenalisesPeersBeyondTheThresholdExceptWhitelistedAndLoopback() {
    PeerScore s = score(params(topic(0, 0, 0, 0, 0), -1, 0));
    s.addPeer(A, Optional.of("10.0.0.1"));
    assertThat(s.score(A)).isZero();
    s.addPeer(B, Optional.of("10.0.0.1"));
    s.addPeer(C, Optional.of("10.0.0.1"));
    assertThat(s.score(A)).as("3 peers, threshold 1: (3-1)^2 * -1").isEqualTo(-4);
    PeerScore local = score(params(topic(0, 0, 0, 0, 0), -1, 0));
    local.addPeer(A, Optional.of("127.0.0.1"));
    local.addPeer(B, Optional.of("127.0.0.1"));
    local.addPeer(C, Optional.of("10.0.0.9"));
    assertThat(local.score(A)).isZero();
    assertThat(local.score(C)).isZero();
  }

  @Test
  void behaviourPenaltyAppliesAboveTheThresholdAndDecays() {
    PeerScore s = score(params(topic(0, 0, 0, 0, 0), 0, -1));
    s.addPeer(A, Optional.empty());
    s.addPenalty(A, 1);
    assertThat(s.score(A)).as("at the threshold").isZero();
    s.addPenalty(A, 2);
    assertThat(s.score(A)).as("(3-1)^2 * -1").isEqualTo(-4);
    s.refresh();
    assertThat(s.score(A)).as("1.5 - 1 = 0.5, squared").isEqualTo(-0.25);
  }

  @Test
  void nonPositiveScoreIsRetainedAcrossReconnectButPositiveIsNot() {
    PeerScore s = score(params(topic(0, 1, 0, 0, -1), 0, 0));
    s.addPeer(A, Optional.empty());
    s.addPeer(B, Optional.empty());
    MessageId bad = MessageId.of(new byte[] {1});
    s.validating(bad);
    s.rejected(A, bad, TOPIC);
    MessageId good = MessageId.of(new byte[] {2});
    s.validating(good);
    s.delivered(B, good, TOPIC);
    s.removePeer(A);
    s.removePeer(B);
    s.addPeer(A, Optional.empty());
    s.addPeer(B, Optional.empty());
    assertThat(s.score(A)).isEqualTo(-1);
    assertThat(s.score(B)).isZero();

    s.removePeer(A);
    now += 61_000;
    s.refresh();
    s.addPeer(A, Optional.empty());
    assertThat(s.score(A)).as("forgotten after retain_score").isZero();
  }

  @Test
  void appSpecificScoreIsWeighted() {
    PeerScore s =
        score(
            params(topic(0, 0, 0, 0, 0), 0, 0).withAppSpecificScore(p -> p.equals(A) ? 3 : -1, 2));
    s.addPeer(A, Optional.empty());
    s.addPeer(B, Optional.empty());
    assertThat(s.score(A)).isEqualTo(6);
    assertThat(s.score(B)).isEqualTo(-2);
  }
}
