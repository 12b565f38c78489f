package org.callchain.phone.internal.jainsip;

import java.text.ParseException;
import java.util.ListIterator;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.callchain.phone.DigestCredentials;
import org.callchain.phone.internal.auth.DigestAlgorithm;
import org.callchain.phone.internal.auth.DigestComputation;

/**
 * Answers a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) challenge by adding an Authorization
 * or Proxy-Authorization header to the re-sent request (RFC 3261 §22.2, RFC 2617 §3.2.2, RFC 8760
 * §2.4: of several challenges the strongest supported algorithm wins).
 */
final class DigestClient {
  private DigestClient() {}

  /**
   * Adds the credentials header for {@code challenge} to {@code request}.
   *
   * @return false if no challenge in the response uses a scheme/algorithm this phone supports
   */
  static boolean authorize(
      Request request, Response challenge, DigestCredentials credentials, HeaderFactory headers)
      throws ParseException {
    boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
    String challengeName = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
    WWWAuthenticateHeader best = null;
    DigestAlgorithm bestAlgorithm = null;
    ListIterator<?> it = challenge.getHeaders(challengeName);
    while (it.hasNext()) {
      WWWAuthenticateHeader h = (WWWAuthenticateHeader) it.next();
      if (!"Digest".equalsIgnoreCase(h.getScheme())) {
        continue;
      }
      DigestAlgorithm a = DigestAlgorithm.fromToken(h.getAlgorithm());
      if (a != null && (bestAlgorithm == null || a.ordinal() > bestAlgorithm.ordinal())) {
        best = h;
        bestAlgorithm = a;
      }
    }
    if (best == null) {
      return false;
    }
    String realm = best.getRealm() == null ? "" : best.getRealm();
    String nonce = best.getNonce() == null ? "" : best.getNonce();
    String qop = chooseQop(best.getQop());
    String uri = request.getRequestURI().toString();
    String cnonce = DigestComputation.newNonce();
    String nc = DigestComputation.nonceCount(1);
    String response =
        DigestComputation.response(
            bestAlgorithm,
            credentials.username(),
            realm,
            credentials.password(),
            nonce,
            request.getMethod(),
            uri,
            qop,
            nc,
            cnonce);
    StringBuilder v = new StringBuilder("Digest ");
    v.append("username=\"").append(credentials.username()).append("\"");
    v.append(", realm=\"").append(realm).append("\"");
    v.append(", nonce=\"").append(nonce).append("\"");
    v.append(", uri=\"").append(uri).append("\"");
    v.append(", response=\"").append(response).append("\"");
    v.append(", algorithm=").append(bestAlgorithm.token());
    if (best.getOpaque() != null) {
      v.append(", opaque=\"").append(best.getOpaque()).append("\"");
    }
    if (qop != null) {
      v.append(", qop=").append(qop).append(", nc=").append(nc);
      v.append(", cnonce=\"").append(cnonce).append("\"");
    }
    String name = proxy ? "Proxy-Authorization" : "Authorization";
    request.removeHeader(name);
    request.addHeader(headers.createHeader(name, v.toString()));
    return true;
  }

  /** RFC 2617 §3.2.1: qop is a list; this phone does {@code auth} only (no auth-int). */
  private static String chooseQop(String offered) {
    if (offered == null || offered.isBlank()) {
      return null;
    }
    for (String q : offered.split(",")) {
      if (q.strip().equalsIgnoreCase("auth")) {
        return "auth";
      }
    }
    return null;
  }
}
