package org.dure.moderation;

import java.time.Instant;

/**
 * A peer was slowed down or refused, or something was not taken because a cap was reached: for the
 * UI. {@code limit} names the limit (as a settings key), {@code value} is its value then.
 *
 * @param refused true if the input was refused (stream reset), false if only slowed down or held
 */
public record LimitEvent(Instant time, String peer, String limit, long value, boolean refused) {}
