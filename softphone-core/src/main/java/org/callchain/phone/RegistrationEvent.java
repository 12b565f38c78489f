package org.callchain.phone;

/**
 * The registration changed.
 *
 * @param state the new state
 * @param sipCode the final response code that caused it, or 0 for a timeout or transport error
 * @param reason the reason phrase or error text
 * @param expiresSeconds the granted lifetime when registered, else 0
 */
public record RegistrationEvent(
    RegistrationState state, int sipCode, String reason, int expiresSeconds) {}
