package io.comet.transport;

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
 * Fails a test class when Netty reports a buffer leak. Registered for every test class through
 * JUnit's extension autodetection ({@code META-INF/services}); installs a
 * {@link ResourceLeakDetectorFactory} whose detectors record reports instead of only logging
 * them. Surefire runs with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is
 * tracked; after each class the extension forces GC and allocates to make Netty report.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    /** Leaks reported so far and not yet collected by {@link #takeLeaks()}. */
    static List<String> takeLeaks() {
        synchronized (LEAKS) {
            List<String> l = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return l;
        }
    }

    /** Makes Netty look for collected-but-unreleased buffers now. */
    static void provokeReports() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20); // lets the reference queue fill; not a synchronisation point
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ByteBuf a = PooledByteBufAllocator.DEFAULT.buffer(8);
            a.release();
            ByteBuf b = Unpooled.directBuffer(8);
            b.release();
            ByteBuf c = PooledByteBufAllocator.DEFAULT.heapBuffer(8);
            c.release();
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
        protected void reportTracedLeak(String resourceType, String records) {
            synchronized (LEAKS) {
                LEAKS.add("LEAK " + resourceType + records);
            }
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            synchronized (LEAKS) {
                LEAKS.add("LEAK " + resourceType + " (untraced)");
            }
            super.reportUntracedLeak(resourceType);
        }
    }
}
