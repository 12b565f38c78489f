package org.callchain.net.pubsub;

import java.time.Duration;

/**
 * The router's protocol parameters, named as in gossipsub-v1.0.md "Parameters" and
 * gossipsub-v1.1.md "Overview of New Parameters". Defaults follow the specs: D=6, D_low=4,
 * D_high=12, D_lazy=6, a 1 s heartbeat, 5 history windows of which 3 are gossiped, a 60 s fanout
 * TTL, a one-minute PRUNE backoff, and peer exchange off.
 *
 * @param d desired mesh degree
 * @param dLow fewer mesh peers than this make the heartbeat graft
 * @param dHigh more mesh peers than this make the heartbeat prune down to {@code d}
 * @param dScore peers kept by score when pruning an oversubscribed mesh
 * @param dOut outbound peers every mesh keeps (must be below {@code dLow} and at most {@code d/2})
 * @param dLazy minimum number of peers to gossip IHAVE to per topic and heartbeat
 * @param gossipFactor fraction of eligible non-mesh peers to gossip to, when above {@code dLazy}
 * @param historyLength message-cache windows ({@code mcache_len})
 * @param historyGossip windows whose ids go into IHAVE ({@code mcache_gossip})
 * @param heartbeatInterval time between heartbeats
 * @param heartbeatInitialDelay time before the first heartbeat
 * @param fanoutTtl how long fanout state for a topic we publish to but do not join is kept
 * @param seenTtl how long a message id stays in the seen-cache
 * @param pruneBackoff how long a pruned peer must not be grafted again
 * @param unsubscribeBackoff backoff we ask for when leaving a topic
 * @param graftFloodThreshold a GRAFT this soon after our PRUNE earns an extra behaviour penalty
 * @param doPeerExchange whether our PRUNEs carry other peers (peer exchange)
 * @param prunePeers how many peers a PRUNE carries when peer exchange is on
 * @param floodPublish whether our own messages go to every topic peer above the publish threshold
 * @param gossipRetransmission how often one peer may fetch one message by IWANT
 * @param maxIHaveLength most message ids we request from one peer per heartbeat
 * @param maxIHaveMessages most IHAVE messages we process from one peer per heartbeat
 * @param iwantFollowupTime a peer that advertised a message must deliver it this soon after IWANT
 * @param opportunisticGraftTicks heartbeats between opportunistic grafting rounds
 * @param opportunisticGraftPeers peers grafted per opportunistic grafting round
 * @param maxMessageSize largest message payload we publish or accept
 * @param messageIdFunction how message ids are derived
 */
public record GossipParams(
    int d,
    int dLow,
    int dHigh,
    int dScore,
    int dOut,
    int dLazy,
    double gossipFactor,
    int historyLength,
    int historyGossip,
    Duration heartbeatInterval,
    Duration heartbeatInitialDelay,
    Duration fanoutTtl,
    Duration seenTtl,
    Duration pruneBackoff,
    Duration unsubscribeBackoff,
    Duration graftFloodThreshold,
    boolean doPeerExchange,
    int prunePeers,
    boolean floodPublish,
    int gossipRetransmission,
    int maxIHaveLength,
    int maxIHaveMessages,
    Duration iwantFollowupTime,
    int opportunisticGraftTicks,
    int opportunisticGraftPeers,
    int maxMessageSize,
    MessageIdFunction messageIdFunction) {

  public GossipParams {
    if (!(dLow <= d && d <= dHigh)) {
      throw new IllegalArgumentException("need D_low <= D <= D_high");
    }
    if (dOut >= dLow || dOut > d / 2) {
      throw new IllegalArgumentException("need D_out < D_low and D_out <= D/2");
    }
    if (dScore > d || dScore < 0) {
      throw new IllegalArgumentException("need 0 <= D_score <= D");
    }
    if (historyGossip > historyLength || historyGossip < 1) {
      throw new IllegalArgumentException("need 1 <= mcache_gossip <= mcache_len");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive");
    }
  }

  public static GossipParams defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.d = d;
    b.dLow = dLow;
    b.dHigh = dHigh;
    b.dScore = dScore;
    b.dOut = dOut;
    b.dLazy = dLazy;
    b.gossipFactor = gossipFactor;
    b.historyLength = historyLength;
    b.historyGossip = historyGossip;
    b.heartbeatInterval = heartbeatInterval;
    b.heartbeatInitialDelay = heartbeatInitialDelay;
    b.fanoutTtl = fanoutTtl;
    b.seenTtl = seenTtl;
    b.pruneBackoff = pruneBackoff;
    b.unsubscribeBackoff = unsubscribeBackoff;
    b.graftFloodThreshold = graftFloodThreshold;
    b.doPeerExchange = doPeerExchange;
    b.prunePeers = prunePeers;
    b.floodPublish = floodPublish;
    b.gossipRetransmission = gossipRetransmission;
    b.maxIHaveLength = maxIHaveLength;
    b.maxIHaveMessages = maxIHaveMessages;
    b.iwantFollowupTime = iwantFollowupTime;
    b.opportunisticGraftTicks = opportunisticGraftTicks;
    b.opportunisticGraftPeers = opportunisticGraftPeers;
    b.maxMessageSize = maxMessageSize;
    b.messageIdFunction = messageIdFunction;
    return b;
  }

  /** Builds parameters from the spec defaults. */
  public static final class Builder {
    private int d = 6;
    private int dLow = 4;
    private int dHigh = 12;
    private int dScore = 4;
    private int dOut = 2;
    private int dLazy = 6;
    private double gossipFactor = 0.25;
    private int historyLength = 5;
    private int historyGossip = 3;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration heartbeatInitialDelay = Duration.ofMillis(100);
    private Duration fanoutTtl = Duration.ofSeconds(60);
    private Duration seenTtl = Duration.ofMinutes(2);
    private Duration pruneBackoff = Duration.ofMinutes(1);
    private Duration unsubscribeBackoff = Duration.ofSeconds(10);
    private Duration graftFloodThreshold = Duration.ofSeconds(10);
    private boolean doPeerExchange = false;
    private int prunePeers = 16;
    private boolean floodPublish = true;
    private int gossipRetransmission = 3;
    private int maxIHaveLength = 5000;
    private int maxIHaveMessages = 10;
    private Duration iwantFollowupTime = Duration.ofSeconds(3);
    private int opportunisticGraftTicks = 60;
    private int opportunisticGraftPeers = 2;
    private int maxMessageSize = 1 << 20;
    private MessageIdFunction messageIdFunction = MessageIdFunction.fromAndSeqno();

    private Builder() {}

    public Builder d(int d, int dLow, int dHigh) {
      this.d = d;
      this.dLow = dLow;
      this.dHigh = dHigh;
      return this;
    }

    public Builder dScore(int v) {
      dScore = v;
      return this;
    }

    public Builder dOut(int v) {
      dOut = v;
      return this;
    }

    public Builder dLazy(int v) {
      dLazy = v;
      return this;
    }

    public Builder gossipFactor(double v) {
      gossipFactor = v;
      return this;
    }

    public Builder history(int length, int gossip) {
      historyLength = length;
      historyGossip = gossip;
      return this;
    }

    public Builder heartbeatInterval(Duration v) {
      heartbeatInterval = v;
      return this;
    }

    public Builder heartbeatInitialDelay(Duration v) {
      heartbeatInitialDelay = v;
      return this;
    }

    public Builder fanoutTtl(Duration v) {
      fanoutTtl = v;
      return this;
    }

    public Builder seenTtl(Duration v) {
      seenTtl = v;
      return this;
    }

    public Builder pruneBackoff(Duration v) {
      pruneBackoff = v;
      return this;
    }

    public Builder unsubscribeBackoff(Duration v) {
      unsubscribeBackoff = v;
      return this;
    }

    public Builder graftFloodThreshold(Duration v) {
      graftFloodThreshold = v;
      return this;
    }

    public Builder peerExchange(boolean enabled, int peers) {
      doPeerExchange = enabled;
      prunePeers = peers;
      return this;
    }

    public Builder floodPublish(boolean v) {
      floodPublish = v;
      return this;
    }

    public Builder gossipRetransmission(int v) {
      gossipRetransmission = v;
      return this;
    }

    public Builder iHaveLimits(int maxLength, int maxMessages) {
      maxIHaveLength = maxLength;
      maxIHaveMessages = maxMessages;
      return this;
    }

    public Builder iwantFollowupTime(Duration v) {
      iwantFollowupTime = v;
      return this;
    }

    public Builder opportunisticGraft(int ticks, int peers) {
      opportunisticGraftTicks = ticks;
      opportunisticGraftPeers = peers;
      return this;
    }

    public Builder maxMessageSize(int v) {
      maxMessageSize = v;
      return this;
    }

    public Builder messageIdFunction(MessageIdFunction v) {
      messageIdFunction = v;
      return this;
    }

    public GossipParams build() {
      return new GossipParams(
          d,
          dLow,
          dHigh,
          dScore,
          dOut,
          dLazy,
          gossipFactor,
          historyLength,
          historyGossip,
          heartbeatInterval,
          heartbeatInitialDelay,
          fanoutTtl,
          seenTtl,
          pruneBackoff,
          unsubscribeBackoff,
          graftFloodThreshold,
          doPeerExchange,
          prunePeers,
          floodPublish,
          gossipRetransmission,
          maxIHaveLength,
          maxIHaveMessages,
          iwantFollowupTime,
          opportunisticGraftTicks,
          opportunisticGraftPeers,
          maxMessageSize,
          messageIdFunction);
    }
  }
}
