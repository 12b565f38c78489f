package org.callchain.phone.internal.jainsip;

import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sip.header.AuthorizationHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.phone.DigestCredentials;
import org.callchain.phone.internal.auth.DigestAlgorithm;
import org.callchain.phone.internal.auth.DigestComputation;

/**
 * A UAS that authenticates incoming INVITEs (RFC 3261 §22.1, §22.4): an INVITE without valid
 * credentials gets 401 with a fresh nonce (MD5, qop=auth). Nonces are single-use-per-call and
 * remembered only for the last few thousand challenges, so a captured Authorization header can not
 * be replayed after its nonce is forgotten.
 */
final class InboundDigestGuard {
  static final String REALM = "callchain";
  private static final int REMEMBERED_NONCES = 4096;

  private final DigestCredentials credentials;
  private final Map<String, Boolean> issued =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED_NONCES;
            }
          });

  InboundDigestGuard(DigestCredentials credentials) {
    this.credentials = credentials;
  }

  /** True if {@code request} carries a valid Authorization for a nonce this guard issued. */
  boolean isAuthorized(Request request) {
    AuthorizationHeader auth = (AuthorizationHeader) request.getHeader("Authorization");
    if (auth == null || !"Digest".equalsIgnoreCase(auth.getScheme())) {
      return false;
    }
    String nonce = auth.getNonce();
    if (nonce == null || issued.remove(nonce) == null) {
      return false;
    }
    if (!credentials.username().equals(auth.getUsername()) || !REALM.equals(auth.getRealm())) {
      return false;
    }
    DigestAlgorithm algorithm = DigestAlgorithm.fromToken(auth.getAlgorithm());
    if (algorithm == null || auth.getURI() == null) {
      return false;
    }
    String qop = auth.getQop();
    String expected =
        DigestComputation.response(
            algorithm,
            credentials.username(),
            REALM,
            credentials.password(),
            nonce,
            request.getMethod(),
            auth.getURI().toString(),
            qop,
            auth.getParameter("nc"),
            auth.getCNonce());
    return DigestComputation.sameDigest(expected, auth.getResponse());
  }

  /** Adds a fresh challenge to a 401 response. */
  void challenge(Response unauthorized, SipMessages sip) throws ParseException {
    String nonce = DigestComputation.newNonce();
    issued.put(nonce, Boolean.TRUE);
    unauthorized.addHeader(
        sip.header(
            "WWW-Authenticate",
            "Digest realm=\""
                + REALM
                + "\", nonce=\""
                + nonce
                + "\", algorithm=MD5, qop=\"auth\""));
  }
}
