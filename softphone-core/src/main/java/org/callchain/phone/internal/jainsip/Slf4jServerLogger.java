package org.callchain.phone.internal.jainsip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traces every SIP message sent and received at TRACE level on logger {@code
 * org.callchain.phone.sip.wire}; the RI instantiates it by class name.
 */
public final class Slf4jServerLogger implements ServerLogger {
  private static final Logger WIRE = LoggerFactory.getLogger("org.callchain.phone.sip.wire");

  public Slf4jServerLogger() {}

  @Override
  public void closeLogFile() {}

  @Override
  public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
    trace(message, from, to, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender, long time) {
    trace(message, from, to, sender);
  }

  @Override
  public void logMessage(
      SIPMessage message, String from, String to, String status, boolean sender) {
    trace(message, from, to, sender);
  }

  private static void trace(SIPMessage message, String from, String to, boolean sender) {
    if (WIRE.isTraceEnabled()) {
      WIRE.trace("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, message.encode());
    }
  }

  @Override
  public void logException(Exception ex) {
    WIRE.debug("SIP message exception", ex);
  }

  @Override
  public void setStackProperties(Properties stackProperties) {}

  @Override
  public void setSipStack(SipStack sipStack) {}
}
