package io.comet.test.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The leak hook really sees leaks (otherwise the other classes' clean runs would prove nothing). */
class LeakDetectionExtensionTest {

    /** Property under which the fixture classes below run (only while {@link #kit} runs them). */
    static final String FIXTURE = "io.comet.test.fixture";

    /** Runs a fixture class through the JUnit test kit. */
    static org.junit.platform.testkit.engine.EngineExecutionResults kit(Class<?> fixture) {
        System.setProperty(FIXTURE, "true");
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
        } finally {
            System.clearProperty(FIXTURE);
        }
    }

    @Test
    void aDroppedBufferIsReported() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        // a GC may not collect the dropped buffer at once on a busy machine: leak again until Netty reports one
        org.awaitility.Awaitility.await("a leak report").atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            leak();
            LeakDetectionExtension.provokeReports();
            seen.addAll(LeakDetectionExtension.takeLeaks());
            return !seen.isEmpty();
        });
        assertThat(seen).anySatisfy(l -> assertThat(l).startsWith("LEAK ByteBuf"));
    }

    @Test
    void aClassThatLeaksFailsAndACleanOnePasses() {
        Events leaky = kit(Leaky.class).containerEvents();
        leaky.failed().assertThatEvents().haveExactly(1, org.junit.platform.testkit.engine.EventConditions.finishedWithFailure(
                org.junit.platform.testkit.engine.TestExecutionResultConditions.message(m -> m.startsWith("Netty reported"))));
        Events clean = kit(Clean.class).containerEvents();
        assertThat(clean.failed().count()).isZero();
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
        b.writeInt(42);
        // dropped without release
    }

    /** Run only through the test kit above (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    @ExtendWith(LeakDetectionExtension.class)
    static class Leaky {
        @Test
        void dropsABuffer() {
            leak();
        }
    }

    /** Run only through the test kit above (skipped when a -Dtest pattern makes surefire pick it up). */
    @EnabledIfSystemProperty(named = FIXTURE, matches = "true")
    @ExtendWith(LeakDetectionExtension.class)
    static class Clean {
        @Test
        void releasesItsBuffer() {
            PooledByteBufAllocator.DEFAULT.buffer(16).release();
        }
    }
}
