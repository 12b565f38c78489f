package org.callchain.node.admission;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.callchain.identity.DeviceKey;
import org.callchain.identity.passport.PassportClaims;
import org.callchain.identity.passport.Passports;
import org.callchain.node.admission.internal.IdentityHeader;
import org.callchain.phone.spi.HeaderField;
import org.callchain.phone.spi.OutgoingInvite;
import org.callchain.phone.spi.OutgoingRequestHook;

/**
 * Signs every outgoing initial INVITE with the device key: adds {@code Identity:
 * <passport>;info=<ethereum:0x…>;alg=ES256K} (RFC 8224 §4). The PASSporT's claims are {@code orig}
 * = the From URI, {@code dest} = [the To URI], {@code iat} = now (seconds), {@code origid} = {@link
 * CallIdBinding#origidFor} of the Call-ID; its {@code kid} is the device address. There is no
 * {@code ppt}: the token is a base PASSporT (RFC 8225 §4) whose extra {@code origid} claim
 * verifiers that do not know it ignore. The phone asks again when it re-sends the INVITE with
 * credentials after a 401/407, so the retry carries a fresh token.
 *
 * <p>Construction: {@code new IdentitySigner(deviceKey, Clock.systemUTC())}; install with {@code
 * PhoneConfig.Builder.outgoingRequestHook}. Signing takes well under a millisecond and never
 * blocks. See docs/identity.md.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8224#section-4">RFC 8224 §4</a>
 */
public final class IdentitySigner implements OutgoingRequestHook {
  /** The header name (RFC 8224 §4). */
  public static final String HEADER = "Identity";

  private final DeviceKey key;
  private final Clock clock;
  private final String info;

  public IdentitySigner(DeviceKey key, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.info = infoUri(key.address());
  }

  /**
   * The {@code info} URI naming a device: an EIP-681 {@code ethereum:} account URI. It names the
   * credential (the registry entry of that address) the verifier checks, instead of a certificate
   * URL; the verifier requires it to name the token's {@code kid}.
   */
  public static String infoUri(org.callchain.identity.DeviceAddress device) {
    return "ethereum:" + device.toHex();
  }

  @Override
  public List<HeaderField> headersFor(OutgoingInvite invite) {
    PassportClaims claims =
        new PassportClaims(
            invite.fromUri(),
            List.of(invite.toUri()),
            clock.instant().getEpochSecond(),
            CallIdBinding.origidFor(invite.callId()));
    String token = Passports.sign(key, claims).token();
    return List.of(
        new HeaderField(HEADER, IdentityHeader.format(token, info, Map.of("alg", "ES256K"))));
  }
}
