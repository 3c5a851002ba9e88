package io.comet.test.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a buffer leak. Register it with
 * {@code @ExtendWith(LeakDetectionExtension.class)}, or for every test class of a module through
 * JUnit's extension autodetection: a test resource
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} naming this class, plus
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}.
 *
 * <p>Loading the class sets Netty's leak detection to {@link ResourceLeakDetector.Level#PARANOID}
 * (every buffer tracked; best also set as {@code -Dio.netty.leakDetection.level=paranoid} so that
 * it holds from the first buffer) and installs a {@link ResourceLeakDetectorFactory} whose
 * detectors record each report besides logging it. Before and after each class it forces GC and
 * a few tracked allocations so that pending reports surface; reports made during the class fail
 * it, with their access records.
 *
 * <p>The recording factory must be installed before Netty creates its first buffer (Netty makes
 * the buffers' detector once): autodetection loads this class before any test runs, while
 * {@code @ExtendWith} on a class loads it only when that class starts.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    /** Used by JUnit. */
    public LeakDetectionExtension() {
    }

    /** {@return the leaks reported so far and not yet taken, and forgets them} */
    public static List<String> takeLeaks() {
        synchronized (LEAKS) {
            List<String> l = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return l;
        }
    }

    /** Makes Netty look for collected-but-unreleased buffers now (GC, then tracked allocations). */
    public static void provokeReports() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20); // lets the reference queue fill; not a synchronisation point
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int j = 0; j < 16; j++) {
                ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(8);
                a.release();
                ByteBuf b = Unpooled.directBuffer(8);
                b.release();
                ByteBuf c = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
                c.release();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        provokeReports();
        takeLeaks(); // leaks of an earlier class were reported there
    }

    @Override
    public void afterAll(ExtensionContext context) {
        provokeReports();
        List<String> leaks = takeLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n----\n", leaks));
        }
    }

    private static void record(String leak) {
        synchronized (LEAKS) {
            LEAKS.add(leak);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true; // record even when the logger is off
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
