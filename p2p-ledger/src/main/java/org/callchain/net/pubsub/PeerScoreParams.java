package org.callchain.net.pubsub;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Peer score parameters (gossipsub-v1.1.md "The Score Function"):
 *
 * <pre>
 * score = min(topicScoreCap, sum over topics of topicWeight * (P1 + P2 + P3 + P3b + P4))
 *       + appSpecificWeight * P5 + ipColocationFactorWeight * P6 + behaviourPenaltyWeight * P7
 * </pre>
 *
 * @param topics parameters per topic; topics without an entry use {@code defaultTopic}
 * @param defaultTopic parameters for other topics, or empty to leave them unscored
 * @param topicScoreCap upper bound of the topic part (0 for none)
 * @param appSpecificScore P5, the application's opinion of a peer
 * @param appSpecificWeight weight of P5
 * @param ipColocationFactorWeight weight of P6 (negative)
 * @param ipColocationFactorThreshold peers sharing an IP beyond this many are penalised
 * @param ipColocationWhitelist IPs exempt from P6; loopback addresses are always exempt, so
 *     in-process networks on 127.0.0.1 are not punished for sharing one host
 * @param behaviourPenaltyWeight weight of P7 (negative)
 * @param behaviourPenaltyThreshold misbehaviour counted before P7 applies
 * @param behaviourPenaltyDecay decay of the P7 counter
 * @param decayInterval how often counters decay
 * @param decayToZero counters below this become 0
 * @param retainScore how long a disconnected peer's non-positive score is remembered
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics,
    Optional<TopicScoreParams> defaultTopic,
    double topicScoreCap,
    ToDoubleFunction<PeerKey> appSpecificScore,
    double appSpecificWeight,
    double ipColocationFactorWeight,
    int ipColocationFactorThreshold,
    Set<String> ipColocationWhitelist,
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    Duration decayInterval,
    double decayToZero,
    Duration retainScore) {

  public PeerScoreParams {
    topics = Map.copyOf(topics);
    ipColocationWhitelist = Set.copyOf(ipColocationWhitelist);
    if (ipColocationFactorWeight > 0 || behaviourPenaltyWeight > 0) {
      throw new IllegalArgumentException("P6 and P7 weights must be <= 0");
    }
    if (behaviourPenaltyDecay <= 0 || behaviourPenaltyDecay >= 1) {
      throw new IllegalArgumentException("behaviour penalty decay must be in (0, 1)");
    }
    if (decayInterval.toMillis() < 1) {
      throw new IllegalArgumentException("decay interval must be at least 1 ms");
    }
  }

  /** Every topic scored with {@link TopicScoreParams#defaults()}; P5 off. */
  public static PeerScoreParams defaults() {
    return new PeerScoreParams(
        Map.of(),
        Optional.of(TopicScoreParams.defaults()),
        100,
        peer -> 0,
        1,
        -10,
        4,
        Set.of(),
        -10,
        0,
        0.99,
        Duration.ofSeconds(1),
        0.01,
        Duration.ofMinutes(1));
  }

  /** The same parameters with an explicit entry for one topic. */
  public PeerScoreParams withTopic(String topic, TopicScoreParams params) {
    var map = new java.util.HashMap<>(topics);
    map.put(topic, params);
    return new PeerScoreParams(
        map,
        defaultTopic,
        topicScoreCap,
        appSpecificScore,
        appSpecificWeight,
        ipColocationFactorWeight,
        ipColocationFactorThreshold,
        ipColocationWhitelist,
        behaviourPenaltyWeight,
        behaviourPenaltyThreshold,
        behaviourPenaltyDecay,
        decayInterval,
        decayToZero,
        retainScore);
  }

  /** The same parameters with another P5 function and weight. */
  public PeerScoreParams withAppSpecificScore(ToDoubleFunction<PeerKey> score, double weight) {
    return new PeerScoreParams(
        topics,
        defaultTopic,
        topicScoreCap,
        score,
        weight,
        ipColocationFactorWeight,
        ipColocationFactorThreshold,
        ipColocationWhitelist,
        behaviourPenaltyWeight,
        behaviourPenaltyThreshold,
        behaviourPenaltyDecay,
        decayInterval,
        decayToZero,
        retainScore);
  }

  /** The parameters that apply to a topic, if it is scored. */
  public Optional<TopicScoreParams> topic(String topic) {
    TopicScoreParams explicit = topics.get(topic);
    return explicit != null ? Optional.of(explicit) : defaultTopic;
  }
}
