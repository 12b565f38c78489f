package org.callchain.phone;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.callchain.media.MediaEngine;
import org.callchain.phone.spi.AdmissionHook;
import org.callchain.phone.spi.FinishedCallSink;
import org.callchain.phone.spi.OutgoingRequestHook;

/**
 * Everything a {@link Phone} needs at start. Build one with {@link #builder()}.
 *
 * @param bindAddress the IP address the SIP and RTP sockets bind to and advertise
 * @param sipPort the SIP port for every transport; 0 picks a free port (see {@link
 *     Phone#sipPort()})
 * @param transports the transports to listen on (UDP and TCP by default)
 * @param user the user part of this phone's Contact and default From
 * @param displayName the display name in From, or empty
 * @param registration an account to REGISTER with, or empty for a peer-to-peer phone
 * @param outboundProxy a proxy every out-of-dialog request is loose-routed through (RFC 3261
 *     §8.1.2), e.g. {@code sip:proxy.example.com;lr}, or empty
 * @param inboundChallenge when present, incoming INVITEs must authenticate with these credentials
 *     (401, RFC 3261 §22.1) before the admission hook is asked
 * @param userAgent the User-Agent and Server header value
 * @param mediaEngine opens the media session of every call
 * @param admissionHook decides on each incoming INVITE before any 180
 * @param outgoingRequestHook adds headers to each outgoing initial INVITE
 * @param finishedCallSinks receive the facts of every finished call
 */
public record PhoneConfig(
    String bindAddress,
    int sipPort,
    Set<Transport> transports,
    String user,
    Optional<String> displayName,
    Optional<RegistrationAccount> registration,
    Optional<String> outboundProxy,
    Optional<DigestCredentials> inboundChallenge,
    String userAgent,
    MediaEngine mediaEngine,
    AdmissionHook admissionHook,
    OutgoingRequestHook outgoingRequestHook,
    List<FinishedCallSink> finishedCallSinks) {

  public static final String DEFAULT_USER_AGENT = "Callchain/0.1";

  public PhoneConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(transports, "transports");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(outboundProxy, "outboundProxy");
    Objects.requireNonNull(inboundChallenge, "inboundChallenge");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(mediaEngine, "mediaEngine");
    Objects.requireNonNull(admissionHook, "admissionHook");
    Objects.requireNonNull(outgoingRequestHook, "outgoingRequestHook");
    if (sipPort < 0 || sipPort > 65535) {
      throw new IllegalArgumentException("SIP port out of range: " + sipPort);
    }
    if (bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]")) {
      // The bind address is also what Via, Contact and SDP advertise (RFC 3261 §8.1.1.8).
      throw new IllegalArgumentException(
          "bind to a specific address, not " + bindAddress + ": it is advertised to peers");
    }
    if (transports.isEmpty()) {
      throw new IllegalArgumentException("at least one SIP transport is needed");
    }
    if (user.isBlank() || !user.matches("[A-Za-z0-9._~!$&'()*+,;=%-]+")) {
      throw new IllegalArgumentException("not a valid SIP user part: '" + user + "'");
    }
    transports = Set.copyOf(transports);
    finishedCallSinks = List.copyOf(finishedCallSinks);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects a {@link PhoneConfig}; only the media engine has no default. */
  public static final class Builder {
    private String bindAddress = "127.0.0.1";
    private int sipPort;
    private Set<Transport> transports = EnumSet.allOf(Transport.class);
    private String user = "callchain";
    private Optional<String> displayName = Optional.empty();
    private Optional<RegistrationAccount> registration = Optional.empty();
    private Optional<String> outboundProxy = Optional.empty();
    private Optional<DigestCredentials> inboundChallenge = Optional.empty();
    private String userAgent = DEFAULT_USER_AGENT;
    private MediaEngine mediaEngine;
    private AdmissionHook admissionHook = AdmissionHook.ACCEPT_ALL;
    private OutgoingRequestHook outgoingRequestHook = OutgoingRequestHook.NONE;
    private final List<FinishedCallSink> sinks = new ArrayList<>();

    private Builder() {}

    public Builder bindAddress(String address) {
      this.bindAddress = address;
      return this;
    }

    public Builder sipPort(int port) {
      this.sipPort = port;
      return this;
    }

    public Builder transports(Set<Transport> set) {
      this.transports = set;
      return this;
    }

    public Builder user(String value) {
      this.user = value;
      return this;
    }

    public Builder displayName(String name) {
      this.displayName = Optional.ofNullable(name);
      return this;
    }

    public Builder registration(RegistrationAccount account) {
      this.registration = Optional.ofNullable(account);
      return this;
    }

    public Builder outboundProxy(String uri) {
      this.outboundProxy = Optional.ofNullable(uri);
      return this;
    }

    public Builder inboundChallenge(DigestCredentials credentials) {
      this.inboundChallenge = Optional.ofNullable(credentials);
      return this;
    }

    public Builder userAgent(String value) {
      this.userAgent = value;
      return this;
    }

    public Builder mediaEngine(MediaEngine engine) {
      this.mediaEngine = engine;
      return this;
    }

    public Builder admissionHook(AdmissionHook hook) {
      this.admissionHook = hook;
      return this;
    }

    public Builder outgoingRequestHook(OutgoingRequestHook hook) {
      this.outgoingRequestHook = hook;
      return this;
    }

    public Builder finishedCallSink(FinishedCallSink sink) {
      this.sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    public PhoneConfig build() {
      return new PhoneConfig(
          bindAddress,
          sipPort,
          transports,
          user,
          displayName,
          registration,
          outboundProxy,
          inboundChallenge,
          userAgent,
          mediaEngine,
          admissionHook,
          outgoingRequestHook,
          sinks);
    }
  }
}
