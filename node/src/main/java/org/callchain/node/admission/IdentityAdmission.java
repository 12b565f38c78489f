package org.callchain.node.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.callchain.chain.DeviceRecord;
import org.callchain.chain.DeviceRegistryClient;
import org.callchain.chain.DeviceStatus;
import org.callchain.chain.RegistryFreshness;
import org.callchain.identity.DeviceAddress;
import org.callchain.identity.passport.InvalidPassportException;
import org.callchain.identity.passport.Passport;
import org.callchain.identity.passport.Passports;
import org.callchain.ledger.AdmissionOutcome;
import org.callchain.node.admission.internal.IdentityHeader;
import org.callchain.node.admission.internal.ReplayCache;
import org.callchain.phone.spi.AdmissionHook;
import org.callchain.phone.spi.AdmissionVerdict;
import org.callchain.phone.spi.IncomingInvite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits an incoming INVITE by the on-chain identity of the device that signed it (RFC 8224 §6.2,
 * with the device registry as the trust root instead of certificates). The checks run in this order
 * and the first that fails answers:
 *
 * <ol>
 *   <li>no Identity header: 428 "Use Identity Header" (RFC 8224 §6.2.2);
 *   <li>the header or its PASSporT is malformed, its signature does not verify for its {@code kid},
 *       {@code info} does not name the {@code kid}, {@code orig} is not the From identity, or
 *       {@code origid} is not bound to this Call-ID ({@link CallIdBinding}): 438 "Invalid Identity
 *       Header";
 *   <li>no {@code dest} is one of this phone's identities: 403 "wrong destination";
 *   <li>{@code iat} more than {@link #FRESHNESS} away from now: 403 "Stale Date" (§6.2.2);
 *   <li>the same token already admitted inside that window: 403 "replayed" (§12.1);
 *   <li>the {@link UnreachablePolicy} refuses because the registry snapshot is too old: 503
 *       "registry unavailable";
 *   <li>the device is not in the registry: 403 "unregistered device"; revoked or rotated away: 403
 *       "revoked device"; registered for another SIP identity than From: 403 "device not bound to
 *       caller".
 * </ol>
 *
 * Otherwise the call is accepted with the note "verified device 0x…". Identities are compared with
 * {@link SipIdentity}. Every verdict goes to the phone (which fires it as a call event and keeps it
 * in the call's record) and to {@code verdictListener}.
 *
 * <p>Construction: {@code new IdentityAdmission(registry, Set.of("sip:bob@example.com"),
 * Clock.systemUTC(), UnreachablePolicy.DECIDE_FROM_SNAPSHOT, verdict -> {})}; install with {@code
 * PhoneConfig.Builder.admissionHook}. The registry client answers from memory, so a decision never
 * waits for the chain. Thread-safe. See docs/identity.md.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8224#section-6.2">RFC 8224 §6.2</a>
 */
public final class IdentityAdmission implements AdmissionHook {
  /** How far {@code iat} may be from the verifier's clock, either way (RFC 8224 §12.1). */
  public static final Duration FRESHNESS = Duration.ofSeconds(60);

  /** How many live tokens the replay cache holds at least (about 170 bytes each). */
  public static final int MIN_REPLAY_CAPACITY = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(IdentityAdmission.class);

  private final DeviceRegistryClient registry;
  private final List<SipIdentity> localIdentities;
  private final Clock clock;
  private final UnreachablePolicy policy;
  private final Consumer<IdentityVerdict> verdictListener;
  private final int replayCapacity = replayCapacity(Runtime.getRuntime().maxMemory());
  private final ReplayCache replays = new ReplayCache(replayCapacity);

  /**
   * @param registry the registry view (answers from its synced snapshot)
   * @param localIdentities this phone's identities, one of which {@code dest} must name ({@link
   *     SipIdentity} rules: one without a port matches any port)
   * @param clock the clock {@code iat} is checked against
   * @param policy what to do when the registry snapshot is old
   * @param verdictListener told every verdict, on the admitting thread; must not block
   * @throws IllegalArgumentException if a local identity is not a SIP or tel URI, or there is none
   */
  public IdentityAdmission(
      DeviceRegistryClient registry,
      Set<String> localIdentities,
      Clock clock,
      UnreachablePolicy policy,
      Consumer<IdentityVerdict> verdictListener) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.verdictListener = Objects.requireNonNull(verdictListener, "verdictListener");
    if (localIdentities.isEmpty()) {
      throw new IllegalArgumentException("admission needs at least one local identity");
    }
    this.localIdentities = localIdentities.stream().map(SipIdentity::parse).toList();
  }

  /**
   * The replay cache's capacity in a JVM of {@code maxHeapBytes}: one live token per 8 KiB of heap,
   * at least {@link #MIN_REPLAY_CAPACITY}. Every admitted call stays in the cache for the 60 s
   * window, so the capacity caps the sustained rate of admitted calls at capacity / 60 s; a fixed
   * 100,000 capped it at 1,666 calls/s, below what the phone's transaction table holds with a 2 GiB
   * heap (bench/sip-cps-node). At 8 KiB per token the cache stays under 3 % of the heap when full.
   */
  static int replayCapacity(long maxHeapBytes) {
    return (int) Math.max(MIN_REPLAY_CAPACITY, Math.min(Integer.MAX_VALUE, maxHeapBytes / 8192));
  }

  @Override
  public AdmissionVerdict admit(IncomingInvite invite) {
    IdentityVerdict verdict = decide(invite);
    if (verdict.accepted()) {
      LOG.debug("call {}: {}", invite.callId(), verdict.reason());
    } else {
      LOG.debug(
          "call {}: {} {} ({})",
          invite.callId(),
          verdict.sipCode(),
          verdict.reason(),
          verdict.detail());
    }
    try {
      verdictListener.accept(verdict);
    } catch (RuntimeException e) {
      LOG.warn("an admission verdict listener failed", e);
    }
    return verdict.toAdmissionVerdict();
  }

  /** The decision, without telling anyone. */
  IdentityVerdict decide(IncomingInvite invite) {
    String callId = invite.callId();
    Optional<String> value = invite.header(IdentitySigner.HEADER);
    if (value.isEmpty()) {
      return reject(
          callId,
          AdmissionOutcome.REJECTED_NO_IDENTITY,
          428,
          "Use Identity Header",
          "no Identity header",
          null);
    }
    Passport passport;
    try {
      passport = verified(invite, IdentityHeader.parse(value.get()));
    } catch (IllegalArgumentException | InvalidPassportException e) {
      return reject(
          callId,
          AdmissionOutcome.REJECTED_INVALID_IDENTITY,
          438,
          "Invalid Identity Header",
          e.getMessage(),
          null);
    }
    DeviceAddress device = passport.kid();
    if (!namesThisPhone(passport.claims().dest())) {
      return reject(
          callId,
          AdmissionOutcome.REJECTED_WRONG_DESTINATION,
          403,
          "wrong destination",
          "dest " + passport.claims().dest() + " is not " + localIdentities,
          device);
    }
    long now = clock.instant().getEpochSecond();
    long iat = passport.claims().iat();
    if (Math.abs(now - iat) > FRESHNESS.toSeconds()) {
      return reject(
          callId,
          AdmissionOutcome.REJECTED_STALE,
          403,
          "Stale Date",
          "iat " + iat + " is " + (now - iat) + " s from now",
          device);
    }
    String replayKey = ReplayCache.keyOf(passport.signaturePart());
    switch (replays.reserve(replayKey, iat + FRESHNESS.toSeconds(), now)) {
      case REPLAYED:
        return reject(
            callId,
            AdmissionOutcome.REJECTED_REPLAYED,
            403,
            "replayed",
            "this token was already presented",
            device);
      case FULL:
        return reject(
            callId,
            AdmissionOutcome.REJECTED_OTHER,
            503,
            "replay cache full",
            replayCapacity + " live tokens",
            device);
      case NEW:
        break;
    }
    IdentityVerdict registryVerdict = checkRegistry(invite, device);
    if (!registryVerdict.accepted()) {
      replays.release(replayKey); // a refused token may not keep a place in the cache
    }
    return registryVerdict;
  }

  private Passport verified(IncomingInvite invite, IdentityHeader header)
      throws InvalidPassportException {
    if (header.alg().isPresent() && !header.alg().get().equals("ES256K")) {
      throw new IllegalArgumentException("alg parameter " + header.alg().get() + " is not ES256K");
    }
    if (header.ppt().isPresent()) {
      throw new IllegalArgumentException("ppt " + header.ppt().get() + " is not supported");
    }
    Passport p = Passports.verify(header.token());
    if (!header.info().equalsIgnoreCase(IdentitySigner.infoUri(p.kid()))) {
      throw new IllegalArgumentException("info <" + header.info() + "> does not name the kid");
    }
    SipIdentity orig = SipIdentity.parse(p.claims().orig());
    SipIdentity from = SipIdentity.parse(invite.fromUri());
    if (!orig.equals(from)) {
      throw new IllegalArgumentException("orig " + orig + " is not the From identity " + from);
    }
    if (!p.claims().origid().equals(CallIdBinding.origidFor(invite.callId()))) {
      throw new IllegalArgumentException("origid is not bound to this Call-ID");
    }
    return p;
  }

  private boolean namesThisPhone(List<String> dest) {
    for (String d : dest) {
      if (!SipIdentity.isValid(d)) {
        continue;
      }
      SipIdentity presented = SipIdentity.parse(d);
      if (localIdentities.stream().anyMatch(presented::matches)) {
        return true;
      }
    }
    return false;
  }

  private IdentityVerdict checkRegistry(IncomingInvite invite, DeviceAddress device) {
    String callId = invite.callId();
    if (policy.maxSnapshotAge().isPresent()) {
      RegistryFreshness f = registry.freshness();
      Instant now = clock.instant();
      Optional<Duration> age = f.age(now);
      if (age.isEmpty() || age.get().compareTo(policy.maxSnapshotAge().get()) > 0) {
        return reject(
            callId,
            AdmissionOutcome.REJECTED_REGISTRY_UNAVAILABLE,
            503,
            "registry unavailable",
            age.map(a -> "registry snapshot is " + a.toSeconds() + " s old")
                    .orElse("registry never synced")
                + f.lastError().map(e -> " (" + e + ")").orElse(""),
            device);
      }
    }
    Optional<DeviceRecord> record =
        registry.lookup(new org.callchain.chain.DeviceAddress(device.toBytes()));
    if (record.isEmpty() || record.get().status() == DeviceStatus.UNKNOWN) {
      return reject(
          callId,
          AdmissionOutcome.REJECTED_UNREGISTERED,
          403,
          "unregistered device",
          device + " is not in the registry",
          device);
    }
    DeviceRecord r = record.get();
    if (r.status() != DeviceStatus.ACTIVE) {
      return reject(
          callId,
          AdmissionOutcome.REJECTED_REVOKED,
          403,
          "revoked device",
          device + " is " + r.status().name().toLowerCase(java.util.Locale.ROOT),
          device);
    }
    if (!boundToCaller(invite.fromUri(), r.sipIdentity())) {
      return reject(
          callId,
          AdmissionOutcome.REJECTED_NOT_BOUND,
          403,
          "device not bound to caller",
          device + " is registered for " + r.sipIdentity() + ", not " + invite.fromUri(),
          device);
    }
    String note = "verified device " + device.toHex();
    return new IdentityVerdict(
        callId, AdmissionOutcome.ACCEPTED, 0, note, note, Optional.of(device));
  }

  private static boolean boundToCaller(String fromUri, String registered) {
    return SipIdentity.isValid(registered)
        && SipIdentity.parse(fromUri).matches(SipIdentity.parse(registered));
  }

  private static IdentityVerdict reject(
      String callId,
      AdmissionOutcome outcome,
      int code,
      String reason,
      String detail,
      DeviceAddress device) {
    return new IdentityVerdict(callId, outcome, code, reason, detail, Optional.ofNullable(device));
  }
}
