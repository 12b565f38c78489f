package org.callchain.phone.internal.jainsip;

import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * Gives the stack a {@link StrictMessageParser} for each message channel; named in {@link
 * StackProperties} ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}), which instantiates it
 * reflectively, hence public.
 */
public final class StrictMessageParserFactory implements MessageParserFactory {
  @Override
  public MessageParser createMessageParser(SIPTransactionStack stack) {
    return new StrictMessageParser();
  }
}
