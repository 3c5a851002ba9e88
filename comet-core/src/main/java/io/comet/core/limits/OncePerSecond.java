package io.comet.core.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one caller through at most once a second (per instance): the refusals of a flood are
 * logged as one line a second, not one per refused connection. Thread-safe.
 */
public final class OncePerSecond {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - SECOND);

    /** True for the first call of each second ({@code nowNanos}: {@link System#nanoTime()}). */
    public boolean tryPass(long nowNanos) {
        long prev = last.get();
        return nowNanos - prev >= SECOND && last.compareAndSet(prev, nowNanos);
    }
}
