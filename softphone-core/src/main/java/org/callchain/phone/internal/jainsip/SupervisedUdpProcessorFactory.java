package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;

/**
 * The stack's {@code MESSAGE_PROCESSOR_FACTORY}: UDP listening points get a {@link
 * SupervisedUdpProcessor} (bounded receive queue, a reader that survives errors); TCP stays the
 * RI's own. Instantiated by the RI by class name, hence public with a no-argument constructor.
 */
public final class SupervisedUdpProcessorFactory implements MessageProcessorFactory {
  private final MessageProcessorFactory others = new OIOMessageProcessorFactory();

  @Override
  public MessageProcessor createMessageProcessor(
      SIPTransactionStack stack, InetAddress address, int port, String transport)
      throws IOException {
    if ("udp".equalsIgnoreCase(transport)) {
      SupervisedUdpProcessor p = new SupervisedUdpProcessor(address, stack, port);
      sendFromListeningSocket(stack);
      return p;
    }
    return others.createMessageProcessor(stack, address, port, transport);
  }

  /**
   * What the RI's own factory does for UDP: set the stack's package-private {@code udpFlag}, which
   * makes every UDP message leave from the listening socket (so responses and retransmissions come
   * from the port the peer knows, RFC 3261 §18.2.2, RFC 3581) instead of a new ephemeral socket per
   * message. The field has no setter, hence reflection; failing here fails the phone's start.
   */
  private static void sendFromListeningSocket(SIPTransactionStack stack) throws IOException {
    try {
      Field flag = SIPTransactionStack.class.getDeclaredField("udpFlag");
      flag.setAccessible(true);
      flag.setBoolean(stack, true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException("cannot make the SIP stack send UDP from its listening socket", e);
    }
  }
}
