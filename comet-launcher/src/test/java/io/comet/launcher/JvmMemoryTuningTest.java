package io.comet.launcher;

import static io.comet.launcher.JvmMemoryTuning.G1_PERIODIC_GC_INTERVAL;
import static io.comet.launcher.JvmMemoryTuning.MAX_HEAP_FREE_RATIO;
import static io.comet.launcher.JvmMemoryTuning.MIN_HEAP_FREE_RATIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link JvmMemoryTuning} on this (surefire) JVM, read back through the MXBean, and on a stub VM for
 * the refusals and absences a real HotSpot does not show on demand. The surefire JVM gets none of
 * these flags from the poms; a flag passed through {@code -DargLine} is checked to stay untouched.
 */
class JvmMemoryTuningTest {

    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    private final ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.comet.launcher");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
        // leave this JVM on the product defaults for the tests that follow (flags set on its command line stay)
        JvmMemoryTuning.apply(LauncherConfig.DEFAULT_HEAP_FREE_MIN_PERCENT, LauncherConfig.DEFAULT_HEAP_FREE_MAX_PERCENT,
                LauncherConfig.DEFAULT_IDLE_GC_SECONDS);
    }

    /** Given to this JVM at its start (command line, JAVA_TOOL_OPTIONS …): the tuning must not touch it. */
    private static boolean fromTheOperator(String flag) {
        VMOption.Origin o = VM.getVMOption(flag).getOrigin();
        return o != VMOption.Origin.DEFAULT && o != VMOption.Origin.MANAGEMENT;
    }

    private static boolean g1() {
        return VM.getVMOption("UseG1GC").getValue().equals("true");
    }

    /** Applies, then checks every flag through the MXBean: the new value, or the operator's untouched. */
    private static void applyAndReadBack(int min, int max, int idleSeconds) {
        Map<String, String> before = new LinkedHashMap<>();
        for (String f : List.of(MIN_HEAP_FREE_RATIO, MAX_HEAP_FREE_RATIO, G1_PERIODIC_GC_INTERVAL)) {
            before.put(f, VM.getVMOption(f).getValue());
        }
        JvmMemoryTuning.Outcome o = JvmMemoryTuning.apply(min, max, idleSeconds);
        assertThat(o.refused()).isEmpty();
        Map<String, String> expected = Map.of(MIN_HEAP_FREE_RATIO, Integer.toString(min), MAX_HEAP_FREE_RATIO,
                Integer.toString(max), G1_PERIODIC_GC_INTERVAL, Long.toString(idleSeconds * 1000L));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String flag = e.getKey();
            VMOption now = VM.getVMOption(flag);
            if (fromTheOperator(flag) || flag.equals(G1_PERIODIC_GC_INTERVAL) && !g1()) {
                assertThat(now.getValue()).as(flag + " left alone").isEqualTo(before.get(flag));
            } else {
                assertThat(now.getValue()).as(flag).isEqualTo(e.getValue());
                assertThat(o.applied()).containsEntry(flag, e.getValue());
            }
        }
    }

    @Test
    void setsTheRatiosAndThePeriodicCollectionOfThisJvm() {
        applyAndReadBack(12, 34, 45);
        if (!fromTheOperator(MAX_HEAP_FREE_RATIO)) {
            assertThat(VM.getVMOption(MAX_HEAP_FREE_RATIO).getOrigin()).as("set through the MXBean")
                    .isEqualTo(VMOption.Origin.MANAGEMENT);
        }
        // a second start in the same JVM changes what the first one set, in an order the VM accepts:
        // a Min above the current Max (40 > 34) needs Max first, a Max below the current Min needs Min first
        applyAndReadBack(40, 60, 0);
        applyAndReadBack(5, 25, 60);
        applyAndReadBack(LauncherConfig.DEFAULT_HEAP_FREE_MIN_PERCENT, LauncherConfig.DEFAULT_HEAP_FREE_MAX_PERCENT,
                LauncherConfig.DEFAULT_IDLE_GC_SECONDS);
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.INFO).hasSize(4)
                .last().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("JVM memory tuning: set ").contains("MinHeapFreeRatio=10").contains("MaxHeapFreeRatio=20");
        assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void aValueSetAtRuntimeByTheOperatorWins() {
        assumeThat(fromTheOperator(MAX_HEAP_FREE_RATIO)).as("MaxHeapFreeRatio not on this JVM's command line").isFalse();
        JvmMemoryTuning.apply(10, 30, 60);
        VM.setVMOption(MAX_HEAP_FREE_RATIO, "55"); // like `jcmd <pid> VM.set_flag MaxHeapFreeRatio 55`
        try {
            JvmMemoryTuning.Outcome o = JvmMemoryTuning.apply(10, 25, 60);
            assertThat(VM.getVMOption(MAX_HEAP_FREE_RATIO).getValue()).isEqualTo("55");
            assertThat(o.kept()).containsEntry(MAX_HEAP_FREE_RATIO, "55 (jcmd/JMX at runtime)");
            assertThat(o.applied()).doesNotContainKey(MAX_HEAP_FREE_RATIO);
            assertThat(logged.list).last().extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("left as set by the operator: MaxHeapFreeRatio=55 (jcmd/JMX at runtime)");
        } finally {
            VM.setVMOption(MAX_HEAP_FREE_RATIO, "30"); // what the tuning set: the tuning's own value again
        }
    }

    @Test
    void commandLineFlagsWinAndARefusedValueIsAWarning() {
        StubVm vm = new StubVm()
                .flag(MIN_HEAP_FREE_RATIO, "50", VMOption.Origin.VM_CREATION)
                .flag(MAX_HEAP_FREE_RATIO, "70", VMOption.Origin.DEFAULT)
                .flag(G1_PERIODIC_GC_INTERVAL, "0", VMOption.Origin.DEFAULT)
                .flag("UseG1GC", "true", VMOption.Origin.ERGONOMIC);
        JvmMemoryTuning.Outcome o = JvmMemoryTuning.apply(vm, 10, 30, 60);
        assertThat(o.kept()).containsExactly(Map.entry(MIN_HEAP_FREE_RATIO, "50 (command line)"));
        assertThat(o.refused()).containsOnlyKeys(MAX_HEAP_FREE_RATIO);
        assertThat(o.applied()).containsExactly(Map.entry(G1_PERIODIC_GC_INTERVAL, "60000"));
        assertThat(vm.flags.get(MAX_HEAP_FREE_RATIO).getValue()).isEqualTo("70");
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .isEqualTo("JVM memory tuning: the JVM refused MaxHeapFreeRatio=30, it stays 70: MaxHeapFreeRatio error: "
                        + "value violates its flag's constraint. (MinHeapFreeRatio 50, MaxHeapFreeRatio 70)");
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.INFO).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .isEqualTo("JVM memory tuning: set G1PeriodicGCInterval=60000; left as set by the operator: "
                        + "MinHeapFreeRatio=50 (command line)");
    }

    @Test
    void withoutG1OrWithoutTheFlagsOrTheMxBeanNothingBreaks() {
        StubVm serial = new StubVm()
                .flag(MIN_HEAP_FREE_RATIO, "40", VMOption.Origin.DEFAULT)
                .flag(MAX_HEAP_FREE_RATIO, "70", VMOption.Origin.DEFAULT)
                .flag(G1_PERIODIC_GC_INTERVAL, "0", VMOption.Origin.DEFAULT)
                .flag("UseG1GC", "false", VMOption.Origin.DEFAULT);
        JvmMemoryTuning.Outcome o = JvmMemoryTuning.apply(serial, 10, 30, 60);
        assertThat(o.applied()).containsExactly(Map.entry(MIN_HEAP_FREE_RATIO, "10"), Map.entry(MAX_HEAP_FREE_RATIO, "30"));
        assertThat(o.skipped()).containsExactly(Map.entry(G1_PERIODIC_GC_INTERVAL, "not G1"));
        assertThat(serial.flags.get(G1_PERIODIC_GC_INTERVAL).getValue()).isEqualTo("0");

        JvmMemoryTuning.Outcome none = JvmMemoryTuning.apply(new StubVm(), 10, 30, 60);
        assertThat(none.applied()).isEmpty();
        assertThat(none.skipped()).containsEntry(MIN_HEAP_FREE_RATIO, "no such flag in this JVM")
                .containsEntry(MAX_HEAP_FREE_RATIO, "no such flag in this JVM");

        assertThat(JvmMemoryTuning.apply(null, 10, 30, 60).applied()).isEmpty();
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("JVM memory tuning skipped: this JVM has no HotSpotDiagnosticMXBean"));
        assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    /** A HotSpot-like VM whose flags are a map; refuses Max below Min and Min above Max, as HotSpot does. */
    private static final class StubVm implements HotSpotDiagnosticMXBean {
        final Map<String, VMOption> flags = new LinkedHashMap<>();

        StubVm flag(String name, String value, VMOption.Origin origin) {
            flags.put(name, new VMOption(name, value, true, origin));
            return this;
        }

        private long value(String name) {
            return Long.parseLong(flags.get(name).getValue());
        }

        @Override
        public VMOption getVMOption(String name) {
            VMOption v = flags.get(name);
            if (v == null) {
                throw new IllegalArgumentException("VM option \"" + name + "\" does not exist");
            }
            return v;
        }

        @Override
        public void setVMOption(String name, String value) {
            getVMOption(name);
            long n = Long.parseLong(value);
            if (name.equals(MAX_HEAP_FREE_RATIO) && n < value(MIN_HEAP_FREE_RATIO)
                    || name.equals(MIN_HEAP_FREE_RATIO) && n > value(MAX_HEAP_FREE_RATIO)) {
                throw new IllegalArgumentException(name + " error: value violates its flag's constraint.");
            }
            flag(name, value, VMOption.Origin.MANAGEMENT);
        }

        @Override
        public List<VMOption> getDiagnosticOptions() {
            return List.copyOf(flags.values());
        }

        @Override
        public void dumpHeap(String outputFile, boolean live) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ObjectName getObjectName() {
            throw new UnsupportedOperationException();
        }
    }
}
