package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak hook really sees leaks: otherwise every "no leak" verdict of the suite would be void. */
class LeakDetectionExtensionTest {

    @Test
    void anUnreleasedBufferIsReported() throws Exception {
        leak();
        for (int i = 0; i < 50 && LeakDetectionExtension.LEAKS.isEmpty(); i++) {
            System.gc();
            Thread.sleep(10);
            for (int j = 0; j < 100; j++) {
                ByteBufAllocator.DEFAULT.buffer(8).release();
            }
        }
        assertThat(LeakDetectionExtension.LEAKS).isNotEmpty();
        assertThat(LeakDetectionExtension.LEAKS.get(0)).contains("LEAK");
        LeakDetectionExtension.LEAKS.clear();
    }

    private static void leak() {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(64);
        b.writeLong(42);
    }
}
