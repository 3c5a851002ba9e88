package io.comet.core;

import java.util.Set;

/**
 * Outcome of a {@code subscription} ({@code CometEngine.subscribe(session, pipes)}).
 *
 * @param subscribed the session's full subscription set after the call
 * @param truncated  true if names beyond {@link CometConfig#maxSubscriptionsPerSession()} were dropped
 * @param skipped    names ignored because they need authentication ({@code private_*} for anonymous)
 */
public record SubscribeResult(Set<String> subscribed, boolean truncated, Set<String> skipped) {
}
