package org.callchain.net.pubsub;

import java.util.concurrent.CompletionStage;

/**
 * Application validation of a topic's messages. It may finish later (e.g. after a lookup); the
 * router keeps the message out of the mesh until it does. A validator that throws or completes
 * exceptionally counts as {@link ValidationResult#IGNORE}.
 */
@FunctionalInterface
public interface MessageValidator {
  CompletionStage<ValidationResult> validate(PubsubMessage message);
}
