package io.comet.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an idle server give the heap it no longer needs back to the OS: sets HotSpot's manageable
 * flags {@value #MIN_HEAP_FREE_RATIO}, {@value #MAX_HEAP_FREE_RATIO} and (with G1 only)
 * {@value #G1_PERIODIC_GC_INTERVAL} at start, through {@link HotSpotDiagnosticMXBean}
 * ({@code [main] heap_free_min_percent}, {@code heap_free_max_percent}, {@code idle_gc_seconds};
 * README, "Memory").
 *
 * <p>A flag is changed only while it still has its JVM default ({@link VMOption.Origin#DEFAULT}), or
 * holds the value this class set earlier in the same JVM (a second launcher start): whatever the
 * operator gave on the command line, in {@code JAVA_TOOL_OPTIONS} or through {@code jcmd} wins.
 * A VM without the MXBean or without a flag (not HotSpot) is logged and left alone.
 */
final class JvmMemoryTuning {

    static final String MIN_HEAP_FREE_RATIO = "MinHeapFreeRatio";
    static final String MAX_HEAP_FREE_RATIO = "MaxHeapFreeRatio";
    static final String G1_PERIODIC_GC_INTERVAL = "G1PeriodicGCInterval";

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    /** Flag → value this class set in this JVM (its origin is then MANAGEMENT, like a jcmd change). */
    private static final Map<String, String> SET_HERE = new ConcurrentHashMap<>();

    /**
     * What one {@link #apply} did, flag → value: {@code applied} set now; {@code kept} left as the
     * operator (or the VM's ergonomics) set them, value with its origin; {@code refused} the VM's
     * answer to a value it did not take; {@code skipped} not set, with the reason.
     */
    record Outcome(Map<String, String> applied, Map<String, String> kept, Map<String, String> refused,
                   Map<String, String> skipped) {

        Outcome() {
            this(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        }
    }

    private JvmMemoryTuning() {
    }

    /** {@link #apply(HotSpotDiagnosticMXBean, int, int, int)} on this JVM's MXBean. */
    static Outcome apply(int minFreePercent, int maxFreePercent, int idleGcSeconds) {
        return apply(platformBean(), minFreePercent, maxFreePercent, idleGcSeconds);
    }

    /**
     * Sets the free-heap ratios and, with G1, the periodic collection interval ({@code idleGcSeconds}
     * 0 = the JVM's "off"), each only where the flag is still the JVM's default. Logs one INFO line,
     * and a WARN per value the VM refused.
     *
     * @param vm the VM's diagnostic MXBean, {@code null} on a VM without one
     */
    static Outcome apply(HotSpotDiagnosticMXBean vm, int minFreePercent, int maxFreePercent, int idleGcSeconds) {
        Outcome o = new Outcome();
        if (vm == null) {
            log.info("JVM memory tuning skipped: this JVM has no HotSpotDiagnosticMXBean (not HotSpot); heap sizing "
                    + "is left to the JVM");
            o.skipped().put("HotSpotDiagnosticMXBean", "absent");
            return o;
        }
        List<String[]> wanted = new ArrayList<>();
        String min = Integer.toString(minFreePercent);
        String max = Integer.toString(maxFreePercent);
        // the VM refuses Max below the current Min and Min above the current Max: Min first unless it
        // would exceed the current Max (a second start in one JVM with higher ratios)
        VMOption currentMax = option(vm, MAX_HEAP_FREE_RATIO, o);
        if (currentMax != null && fitsUnder(minFreePercent, currentMax.getValue())) {
            wanted.add(new String[] {MIN_HEAP_FREE_RATIO, min});
            wanted.add(new String[] {MAX_HEAP_FREE_RATIO, max});
        } else {
            wanted.add(new String[] {MAX_HEAP_FREE_RATIO, max});
            wanted.add(new String[] {MIN_HEAP_FREE_RATIO, min});
        }
        VMOption g1 = optionOrNull(vm, "UseG1GC");
        if (g1 != null && "true".equals(g1.getValue())) {
            wanted.add(new String[] {G1_PERIODIC_GC_INTERVAL, Long.toString(idleGcSeconds * 1000L)});
        } else {
            o.skipped().put(G1_PERIODIC_GC_INTERVAL, "not G1");
        }
        for (String[] w : wanted) {
            set(vm, w[0], w[1], o);
        }
        log.info("JVM memory tuning: set {}; left as set by the operator: {}{}", describe(o.applied(), "=", "nothing"),
                describe(o.kept(), "=", "none"), o.skipped().isEmpty() ? "" : "; not set: " + describe(o.skipped(), ": ", ""));
        return o;
    }

    /** This JVM's MXBean, or {@code null} when the VM has none (or lacks the jdk.management module). */
    private static HotSpotDiagnosticMXBean platformBean() {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (IllegalArgumentException | LinkageError e) {
            return null;
        }
    }

    private static boolean fitsUnder(int minFreePercent, String currentMax) {
        try {
            return minFreePercent <= Long.parseLong(currentMax);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static void set(HotSpotDiagnosticMXBean vm, String name, String value, Outcome o) {
        VMOption current = option(vm, name, o);
        if (current == null) {
            return;
        }
        boolean ours = current.getOrigin() == VMOption.Origin.DEFAULT
                || current.getOrigin() == VMOption.Origin.MANAGEMENT && current.getValue().equals(SET_HERE.get(name));
        if (!ours) {
            o.kept().put(name, current.getValue() + " (" + origin(current.getOrigin()) + ")");
            return;
        }
        if (current.getValue().equals(value)) { // e.g. idle_gc_seconds = 0: the flag keeps its default origin
            o.applied().put(name, value);
            return;
        }
        try {
            vm.setVMOption(name, value);
            SET_HERE.put(name, value);
            o.applied().put(name, value);
        } catch (IllegalArgumentException | SecurityException e) {
            String why = e.getMessage() + " (MinHeapFreeRatio " + valueOf(vm, MIN_HEAP_FREE_RATIO) + ", MaxHeapFreeRatio "
                    + valueOf(vm, MAX_HEAP_FREE_RATIO) + ")";
            o.refused().put(name, why);
            log.warn("JVM memory tuning: the JVM refused {}={}, it stays {}: {}", name, value, current.getValue(), why);
        }
    }

    /** The flag, or {@code null} (recorded as skipped) when this VM does not have it. */
    private static VMOption option(HotSpotDiagnosticMXBean vm, String name, Outcome o) {
        VMOption v = optionOrNull(vm, name);
        if (v == null) {
            o.skipped().put(name, "no such flag in this JVM");
        }
        return v;
    }

    private static VMOption optionOrNull(HotSpotDiagnosticMXBean vm, String name) {
        try {
            return vm.getVMOption(name);
        } catch (IllegalArgumentException e) { // "VM option ... does not exist"
            return null;
        }
    }

    private static String valueOf(HotSpotDiagnosticMXBean vm, String name) {
        VMOption v = optionOrNull(vm, name);
        return v == null ? "?" : v.getValue();
    }

    private static String origin(VMOption.Origin origin) {
        return switch (origin) {
            case VM_CREATION -> "command line";
            case ENVIRON_VAR -> "JAVA_TOOL_OPTIONS";
            case CONFIG_FILE -> "flags file";
            case MANAGEMENT, ATTACH_ON_DEMAND -> "jcmd/JMX at runtime";
            case ERGONOMIC -> "JVM ergonomics";
            default -> origin.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describe(Map<String, String> m, String separator, String empty) {
        if (m.isEmpty()) {
            return empty;
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(separator).append(v));
        return sb.toString();
    }
}
