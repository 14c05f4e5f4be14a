package org.dure.moderation;

import java.time.Instant;

/**
 * A peer was slowed down or refused, or something was not taken because a cap was reached, or a
 * peer's changes were left out by a space's rules: for the UI. {@code limit} names the limit (as a
 * settings key, or {@link RateLimits#CHANGES_NOT_ALLOWED}), {@code value} is its value then.
 *
 * @param refused true if the input was refused (stream reset; for changes left out by the rules,
 *     only those changes), false if only slowed down or held
 */
public record LimitEvent(Instant time, String peer, String limit, long value, boolean refused) {}
