package io.comet.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Bytes in and out of a whole connection pipeline on {@link EmbeddedChannel} (the golden-frame tests). */
final class EmbeddedWire {

    private EmbeddedWire() {
    }

    /**
     * Writes bytes inbound, whole or one byte at a time (while the server keeps the connection: a
     * real peer's further bytes would be dropped), then runs the loop's pending tasks.
     */
    static void feed(EmbeddedChannel ch, byte[] bytes, boolean byteByByte) {
        if (byteByByte) {
            for (byte b : bytes) {
                if (!ch.isOpen()) {
                    break;
                }
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                ch.runPendingTasks();
            }
        } else if (ch.isOpen()) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        for (int i = 0; i < 5; i++) {
            ch.runPendingTasks();
        }
        ReferenceCountUtil.release(ch.readInbound()); // nothing should reach the tail; release defensively
    }

    /** Everything the server wrote so far, as bytes (outbound buffers released). */
    static byte[] drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            try {
                if (o instanceof ByteBuf b) {
                    byte[] a = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), a);
                    out.writeBytes(a);
                }
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
