package io.comet.cometql.protocol;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down repeated login failures from one address (issue acceptance 1): after
 * {@code freeFailures} failures, each further failure's answer is delayed by
 * {@code baseDelay × 2^(n−1)}, capped at {@code maxDelay}. An address is forgotten after
 * {@code windowMillis} without failures, or on a successful login.
 */
public final class AuthThrottle {

    private static final class Entry {
        int failures;
        long lastFailure;
    }

    private final int freeFailures;
    private final long baseDelayMillis;
    private final long maxDelayMillis;
    private final long windowMillis;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** A throttle with the given rules, reading time from {@code clock} (millis). */
    public AuthThrottle(int freeFailures, long baseDelayMillis, long maxDelayMillis, long windowMillis, LongSupplier clock) {
        this.freeFailures = freeFailures;
        this.baseDelayMillis = baseDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.windowMillis = windowMillis;
        this.clock = clock;
    }

    /** Records a failure of {@code address}; returns how long to delay its answer (0 = none). */
    public long failure(String address) {
        long now = clock.getAsLong();
        if (entries.size() > 10_000) {
            entries.values().removeIf(e -> now - e.lastFailure > windowMillis);
        }
        Entry e = entries.compute(address, (k, old) -> {
            Entry n = old == null || now - old.lastFailure > windowMillis ? new Entry() : old;
            n.failures++;
            n.lastFailure = now;
            return n;
        });
        int over;
        synchronized (e) {
            over = e.failures - freeFailures;
        }
        if (over <= 0 || baseDelayMillis == 0) {
            return 0;
        }
        long delay = baseDelayMillis << Math.min(over - 1, 20);
        return Math.min(delay, maxDelayMillis);
    }

    /** Forgets {@code address} after a successful login. */
    public void success(String address) {
        entries.remove(address);
    }
}
