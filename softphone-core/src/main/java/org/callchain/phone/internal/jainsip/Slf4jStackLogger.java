package org.callchain.phone.internal.jainsip;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the JAIN-SIP RI's internal log to SLF4J; the RI instantiates it by class name. */
public final class Slf4jStackLogger implements StackLogger {
  private static final Logger LOG = LoggerFactory.getLogger("org.callchain.phone.sip.stack");

  public Slf4jStackLogger() {}

  @Override
  public void logStackTrace() {}

  @Override
  public void logStackTrace(int traceLevel) {}

  @Override
  public int getLineCount() {
    return 0;
  }

  @Override
  public void logException(Throwable ex) {
    LOG.warn("SIP stack exception", ex);
  }

  @Override
  public void logDebug(String message) {
    LOG.debug(message);
  }

  @Override
  public void logDebug(String message, Exception ex) {
    LOG.debug(message, ex);
  }

  @Override
  public void logTrace(String message) {
    LOG.trace(message);
  }

  @Override
  public void logFatalError(String message) {
    LOG.error(message);
  }

  @Override
  public void logError(String message) {
    LOG.warn(message);
  }

  @Override
  public boolean isLoggingEnabled() {
    return LOG.isDebugEnabled();
  }

  @Override
  public boolean isLoggingEnabled(int logLevel) {
    if (logLevel >= TRACE_DEBUG) {
      return LOG.isDebugEnabled();
    }
    if (logLevel >= TRACE_INFO) {
      return LOG.isInfoEnabled();
    }
    return LOG.isWarnEnabled();
  }

  @Override
  public void logError(String message, Exception ex) {
    LOG.warn(message, ex);
  }

  @Override
  public void logWarning(String message) {
    // The RI warns about routine things (no TLS keystore configured): not worth an operator's eye.
    LOG.debug(message);
  }

  @Override
  public void logInfo(String message) {
    LOG.debug(message);
  }

  @Override
  public void disableLogging() {}

  @Override
  public void enableLogging() {}

  @Override
  public void setBuildTimeStamp(String buildTimeStamp) {}

  @Override
  public void setStackProperties(Properties stackProperties) {}

  @Override
  public String getLoggerName() {
    return LOG.getName();
  }
}
