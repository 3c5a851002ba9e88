package io.comet.launcher;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the C heap the JVM no longer uses back to the OS: the JIT compilers allocate and free
 * large arenas through {@code malloc}, and glibc keeps freed memory mapped. comet-bench measured
 * this: at the end of the idle scenario (19,000 tabs gone) {@code jcmd System.trim_native_heap}
 * took the server from 137 MB to 108 MB of RSS, and at 19,000 idle tabs about 0.85 KB of RSS per
 * tab was in no category of native memory tracking.
 *
 * <p>It runs the JVM's own trim (the diagnostic command {@code System.trim_native_heap}, through
 * the platform {@code DiagnosticCommand} MBean) when the JVM gives heap back too: after every full
 * collection and after G1's periodic collection, which G1 starts only once the server has been
 * without any collection for {@code [main] idle_gc_seconds}. Not on a timer: a trim walks every
 * malloc arena, and run every 60 s under load (the 10-minute soak) it came with stalls of up to
 * 126 ms (p99.9 28.8 ms instead of 9.6 ms). JDK 21 has a timer version,
 * {@code -XX:TrimNativeHeapInterval}. On a JVM without the command (or without glibc) it logs once
 * and stops.
 */
final class NativeHeapTrimmer implements AutoCloseable {

    /** The MBean operation of {@code jcmd <pid> System.trim_native_heap}. */
    static final String OPERATION = "systemTrimNativeHeap";
    private static final String FULL_GC = "end of major GC";
    /** The cause G1 gives the collection started by {@code G1PeriodicGCInterval}. */
    static final String PERIODIC_GC = "G1 Periodic Collection";
    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher.memory");

    private final MBeanServer server;
    private final ObjectName diagnostics;
    private final ExecutorService executor;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener afterFullGc = this::onGc;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicLong trims = new AtomicLong();
    private volatile boolean available = true;

    private NativeHeapTrimmer(MBeanServer server, ObjectName diagnostics) {
        this.server = server;
        this.diagnostics = diagnostics;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "comet-trim-native-heap");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts trimming after full and periodic collections. */
    static NativeHeapTrimmer start() {
        ObjectName name;
        try {
            name = new ObjectName("com.sun.management:type=DiagnosticCommand");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
        NativeHeapTrimmer t = new NativeHeapTrimmer(ManagementFactory.getPlatformMBeanServer(), name);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(t.afterFullGc, null, null);
                t.emitters.add(e);
            }
        }
        return t;
    }

    private void onGc(Notification n, Object handback) {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            if (triggers(info.getGcAction(), info.getGcCause())) {
                request();
            }
        }
    }

    /** Whether a collection ({@code action}, {@code cause} as the JVM reports them) is followed by a trim. */
    static boolean triggers(String action, String cause) {
        return FULL_GC.equals(action) || PERIODIC_GC.equals(cause);
    }

    /** Queues one trim (requests while one is queued are folded into it). */
    void request() {
        if (available && queued.compareAndSet(false, true) && !executor.isShutdown()) {
            executor.execute(this::trimQuietly);
        }
    }

    /** Trims now; returns the JVM's answer (e.g. {@code Trim native heap: RSS+Swap: 137M->108M (-29664K)}). */
    String trim() throws Exception {
        Object answer = server.invoke(diagnostics, OPERATION, new Object[] {new String[0]},
                new String[] {String[].class.getName()});
        trims.incrementAndGet();
        return String.valueOf(answer).strip();
    }

    private void trimQuietly() {
        queued.set(false);
        try {
            String answer = trim();
            log.debug("{}", answer);
            if (answer.contains("Not available")) {
                available = false;
                log.info("native heap trimming is not available on this JVM/C library ({}): stopped", answer);
            }
        } catch (Exception e) {
            available = false;
            log.info("native heap trimming stopped: this JVM has no {} ({})", OPERATION, e.toString());
        }
    }

    /** Trims done so far. */
    long trims() {
        return trims.get();
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(afterFullGc);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        executor.shutdownNow();
    }
}
