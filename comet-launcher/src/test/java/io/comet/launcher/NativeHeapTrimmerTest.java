package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JVM's native heap trim, run by the launcher after full collections and periodically. */
class NativeHeapTrimmerTest {

    // the diagnostic command exists on this JDK (17.0.9+) and answers with what it released
    @Test
    void trimsThroughTheDiagnosticCommand() throws Exception {
        try (NativeHeapTrimmer t = NativeHeapTrimmer.start(0)) {
            String answer = t.trim();
            assertThat(answer).satisfiesAnyOf(
                    a -> assertThat(a).startsWith("Trim native heap: RSS+Swap:"),
                    a -> assertThat(a).contains("Not available"));
            assertThat(t.trims()).isEqualTo(1);
        }
    }

    // a full collection (what System.gc() and `jcmd GC.run` cause) is followed by one trim
    @Test
    void aFullCollectionIsFollowedByATrim() throws Exception {
        try (NativeHeapTrimmer t = NativeHeapTrimmer.start(0)) {
            long before = t.trims();
            System.gc();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (t.trims() == before && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10); // polling an await with a deadline, not a synchronization sleep
            }
            assertThat(t.trims()).as("trims after System.gc()").isGreaterThan(before);
        }
    }

    // the periodic trim runs without any collection
    @Test
    void trimsPeriodically() throws Exception {
        try (NativeHeapTrimmer t = NativeHeapTrimmer.start(1)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (t.trims() < 2 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertThat(t.trims()).isGreaterThanOrEqualTo(2);
        }
    }
}
