package io.comet.cometql.table;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition (store writes may complete asynchronously). */
final class TestWait {

    private TestWait() {
    }

    static void until(BooleanSupplier c) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
