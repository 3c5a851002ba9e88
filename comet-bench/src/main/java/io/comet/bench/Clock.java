package io.comet.bench;

/**
 * Wall-clock time in microseconds since the epoch, read through {@link System#nanoTime()}
 * anchored once to {@link System#currentTimeMillis()}: monotonic inside one process and close
 * to the epoch across processes, so a timestamp carried in a published message can be compared
 * by whichever process receives it.
 */
final class Clock {
    private static final long ANCHOR_NANOS = System.nanoTime();
    private static final long ANCHOR_MICROS = System.currentTimeMillis() * 1000L;

    private Clock() {
    }

    /** Microseconds since the epoch. */
    static long micros() {
        return ANCHOR_MICROS + (System.nanoTime() - ANCHOR_NANOS) / 1000L;
    }
}
