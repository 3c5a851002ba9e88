package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JVM's native heap trim, run by the launcher after full collections and after G1's periodic collection. */
class NativeHeapTrimmerTest {

    // the diagnostic command exists on this JDK (17.0.9+) and answers with what it released
    @Test
    void trimsThroughTheDiagnosticCommand() throws Exception {
        try (NativeHeapTrimmer t = NativeHeapTrimmer.start()) {
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
        try (NativeHeapTrimmer t = NativeHeapTrimmer.start()) {
            long before = t.trims();
            System.gc();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (t.trims() == before && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10); // polling an await with a deadline, not a synchronization sleep
            }
            assertThat(t.trims()).as("trims after System.gc()").isGreaterThan(before);
        }
    }

    // which collections are followed by a trim, with the action and cause strings HotSpot 17 reports
    // (G1's periodic collection: "end of minor GC" / "G1 Periodic Collection", seen with -Xlog:gc and a
    // GC notification listener; a live periodic collection needs 300 ms without any other collection,
    // which the shared test JVM does not reliably give)
    @Test
    void fullAndPeriodicCollectionsTriggerATrimOthersDoNot() {
        assertThat(NativeHeapTrimmer.triggers("end of major GC", "System.gc()")).isTrue();
        assertThat(NativeHeapTrimmer.triggers("end of major GC", "Diagnostic Command")).isTrue();
        assertThat(NativeHeapTrimmer.triggers("end of minor GC", "G1 Periodic Collection")).isTrue();
        assertThat(NativeHeapTrimmer.triggers("end of minor GC", "G1 Evacuation Pause")).isFalse();
        assertThat(NativeHeapTrimmer.triggers("end of minor GC", "G1 Humongous Allocation")).isFalse();
    }
}
