package io.comet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak hook really sees leaks (otherwise the other classes' clean runs would prove nothing). */
class LeakDetectionExtensionTest {

    @Test
    void aDroppedBufferIsReported() {
        leak();
        LeakDetectionExtension.provokeReports();
        assertThat(LeakDetectionExtension.takeLeaks()).anySatisfy(l -> assertThat(l).startsWith("LEAK ByteBuf"));
    }

    private static void leak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
        b.writeInt(42);
        // dropped without release
    }
}
