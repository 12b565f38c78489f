package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPTransaction;
import java.util.Properties;
import javax.sip.PeerUnavailableException;

/**
 * The JAIN-SIP RI stack with a CANCEL matched to the transaction it cancels by one table lookup
 * instead of the RI's scan of every transaction ({@code SIPTransactionStack.findCancelTransaction},
 * jain-sip-ri 1.3.0-91, which asks each server transaction {@code doesCancelMatchTransaction}).
 *
 * <p>RFC 3261 §9.2: a CANCEL matches the transaction whose request has the same top Via branch
 * (magic cookie {@code z9hG4bK}, §8.1.1.7) and sent-by; the Request-URI, Call-ID, From, To and CSeq
 * number rules are RFC 2543's (§9.2, last paragraph). The RI keys both transaction tables by {@code
 * SIPMessage.getTransactionId()}, which for an RFC 3261 request other than CANCEL is its branch in
 * lower case ({@code String.toLowerCase()}), and the RI's own match of an RFC 3261 CANCEL is "same
 * branch ignoring case and same sent-by": so the only transaction that can match is the one under
 * the CANCEL's branch, and asking that one the RI's own question gives the scan's answer. The scan
 * stays for a CANCEL without the magic cookie (RFC 2543 peers), whose transaction id the RI derives
 * from headers that the CANCEL does not share with its INVITE (the CSeq method).
 *
 * <p>Why it matters: transactions linger 64*T1 = 32 s (Timer H/J, §17.2), so a phone answering
 * 1,500 calls/s holds ~50,000; once it falls behind, the caller CANCELs the calls it gave up on and
 * the scan made each CANCEL cost the whole table (12 % of a node's CPU in bench/sip-cps-node).
 * Built by {@link JainSipPhone} directly: the RI's {@code SipFactory} can only name its own class.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3261#section-9.2">RFC 3261 §9.2</a>
 */
final class CancelMatchingSipStack extends SipStackImpl {
  private static final String MAGIC_COOKIE = "z9hg4bk";

  CancelMatchingSipStack(Properties properties) throws PeerUnavailableException {
    super(properties);
  }

  @Override
  public SIPTransaction findCancelTransaction(SIPRequest cancel, boolean isServer) {
    String key = invite3261Key(cancel);
    if (key == null) {
      return super.findCancelTransaction(cancel, isServer);
    }
    SIPTransaction candidate = findTransaction(key, isServer);
    return candidate != null && candidate.doesCancelMatchTransaction(cancel) ? candidate : null;
  }

  /**
   * The table key of the request a CANCEL with an RFC 3261 branch cancels (its branch, lower case
   * as the RI keys it), or null for an RFC 2543 CANCEL.
   */
  static String invite3261Key(SIPRequest cancel) {
    var via = cancel.getTopmostVia();
    String branch = via == null ? null : via.getBranch();
    if (branch == null) {
      return null;
    }
    String key = branch.toLowerCase();
    return key.startsWith(MAGIC_COOKIE) ? key : null;
  }
}
