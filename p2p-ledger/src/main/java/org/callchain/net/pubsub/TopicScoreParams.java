package org.callchain.net.pubsub;

import java.time.Duration;

/**
 * Per-topic score parameters P1-P4 (gossipsub-v1.1.md "Topic Parameter Calculation and Decay").
 * Weights of P1 and P2 are positive, those of P3, P3b and P4 negative. Decays are factors applied
 * once per {@link PeerScoreParams#decayInterval()}.
 *
 * <p>The defaults reward time in the mesh (P1) and first deliveries (P2), punish invalid messages
 * hard (P4) and leave the mesh-delivery deficit (P3/P3b) off, because it needs a topic with a known
 * steady message rate to be tuned for.
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight,
    Duration timeInMeshQuantum,
    double timeInMeshCap,
    double firstMessageDeliveriesWeight,
    double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap,
    double meshMessageDeliveriesWeight,
    double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesCap,
    double meshMessageDeliveriesThreshold,
    Duration meshMessageDeliveriesWindow,
    Duration meshMessageDeliveriesActivation,
    double meshFailurePenaltyWeight,
    double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight,
    double invalidMessageDeliveriesDecay) {

  public TopicScoreParams {
    if (topicWeight < 0
        || timeInMeshWeight < 0
        || firstMessageDeliveriesWeight < 0
        || meshMessageDeliveriesWeight > 0
        || meshFailurePenaltyWeight > 0
        || invalidMessageDeliveriesWeight > 0) {
      throw new IllegalArgumentException(
          "topic weight, P1 and P2 weights must be >= 0; P3, P3b and P4 weights <= 0");
    }
  }

  public static TopicScoreParams defaults() {
    return new TopicScoreParams(
        1.0,
        0.01,
        Duration.ofSeconds(1),
        3600,
        1.0,
        0.5,
        100,
        0,
        0.5,
        100,
        1,
        Duration.ofMillis(10),
        Duration.ofSeconds(10),
        0,
        0.5,
        -10,
        0.9);
  }

  /** The same parameters with another P3 (mesh delivery deficit) setting and its P3b penalty. */
  public TopicScoreParams withMeshMessageDeliveries(
      double weight, double threshold, Duration activation, double failurePenaltyWeight) {
    return new TopicScoreParams(
        topicWeight,
        timeInMeshWeight,
        timeInMeshQuantum,
        timeInMeshCap,
        firstMessageDeliveriesWeight,
        firstMessageDeliveriesDecay,
        firstMessageDeliveriesCap,
        weight,
        meshMessageDeliveriesDecay,
        meshMessageDeliveriesCap,
        threshold,
        meshMessageDeliveriesWindow,
        activation,
        failurePenaltyWeight,
        meshFailurePenaltyDecay,
        invalidMessageDeliveriesWeight,
        invalidMessageDeliveriesDecay);
  }

  /** The same parameters with another P4 (invalid messages) weight and decay. */
  public TopicScoreParams withInvalidMessageDeliveries(double weight, double decay) {
    return new TopicScoreParams(
        topicWeight,
        timeInMeshWeight,
        timeInMeshQuantum,
        timeInMeshCap,
        firstMessageDeliveriesWeight,
        firstMessageDeliveriesDecay,
        firstMessageDeliveriesCap,
        meshMessageDeliveriesWeight,
        meshMessageDeliveriesDecay,
        meshMessageDeliveriesCap,
        meshMessageDeliveriesThreshold,
        meshMessageDeliveriesWindow,
        meshMessageDeliveriesActivation,
        meshFailurePenaltyWeight,
        meshFailurePenaltyDecay,
        weight,
        decay);
  }
}
