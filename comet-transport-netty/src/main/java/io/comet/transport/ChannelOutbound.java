package io.comet.transport;

import io.comet.core.Message;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Outbound} of one WebSocket connection. {@link #send} may be called from any
 * thread: it hands the message's cached frame to the {@link LoopWriter} of the channel's event
 * loop, which writes and flushes in batches for all the loop's connections. This object holds
 * no queue of its own (an idle connection costs a few fields), and per-producer order is kept.
 *
 * <p>Bounded, never lossy while open: bytes queued for this connection plus bytes pending in
 * Netty's outbound buffer never exceed {@link WebConfig#outboundHighWaterMark()}. A message that
 * would exceed it is refused ({@code send} returns false) and the connection is dropped at once,
 * abruptly (no Close frame, client-protocol.md §1.7), so the client reconnects instead of
 * silently missing messages. A connection whose socket does not take everything written to it
 * for {@link WebConfig#slowConsumerTimeout()} in a row (backlogged: bytes left in Netty's
 * outbound buffer after every flush, however few) is dropped the same way. Every accepted byte
 * also counts against the server-wide {@link DeliveryBudget} until the socket takes it; when
 * that is exhausted, {@link SlowConsumers} drops the backlogged connections holding most.
 */
final class ChannelOutbound implements Outbound {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.outbound");
    /** What Netty's outbound buffer charges per entry on top of the bytes (its default overhead). */
    static final int ENTRY_OVERHEAD = Integer.getInteger("io.netty.transport.outboundBufferEntrySizeOverhead", 96);

    private static final AtomicLongFieldUpdater<ChannelOutbound> QUEUED =
            AtomicLongFieldUpdater.newUpdater(ChannelOutbound.class, "queuedBytes");
    private static final AtomicIntegerFieldUpdater<ChannelOutbound> REFUSED =
            AtomicIntegerFieldUpdater.newUpdater(ChannelOutbound.class, "refused");

    /** Settings shared by every connection of a server (kept out of the per-connection object). */
    static final class Limits {
        final int maxPayload;
        final long highWaterMark;
        final long slowConsumerNanos;
        /** Connections closed for the high-water mark or the slow-consumer timeout, since the start. */
        final java.util.concurrent.atomic.LongAdder slowCloses = new java.util.concurrent.atomic.LongAdder();

        Limits(WebConfig config) {
            maxPayload = config.maxFramePayload();
            highWaterMark = config.outboundHighWaterMark();
            slowConsumerNanos = config.slowConsumerTimeout().toNanos();
        }
    }

    /**
     * Where frames are written: the context of the connection's one handler, so pre-encoded
     * frames go from there straight to the socket (no encoder in between). Its channel is the
     * connection's (not kept in a field of its own: this object exists once per connection).
     */
    private final ChannelHandlerContext out;
    /** The event loop's writer; also holds the server's {@link Limits}. */
    private final LoopWriter writer;
    private final boolean legacy;
    private volatile boolean closed;
    private volatile Session session;
    private volatile long queuedBytes;
    /** {@link System#nanoTime()} when the backlog began or the socket last took a whole batch of it (0: not backlogged). */
    private volatile long backloggedSince;
    /** Batches written to the channel and not yet taken by the socket (loop-confined). */
    private int unwrittenBatches;
    /** A slow-consumer check is scheduled (loop-confined). */
    private boolean checkScheduled;
    /** Most bytes ever pending, saturated at {@code int} (an int keeps this per-connection object at 64 bytes). */
    private volatile int maxPending;
    private volatile int refused;
    /** Bytes written to the channel in the writer's current batch (loop-confined). */
    long batchBytes;

    ChannelOutbound(ChannelHandlerContext out, boolean legacy, LoopWriter writer) {
        this.out = out;
        this.legacy = legacy;
        this.writer = writer;
    }

    void attach(Session s) {
        session = s;
    }

    Session session() {
        return session;
    }

    Channel channel() {
        return out.channel();
    }

    /** Where the writer writes and flushes frames (the handler's context: frames are already encoded). */
    ChannelOutboundInvoker out() {
        return out;
    }

    @Override
    public boolean send(Message message) {
        if (closed) {
            return false;
        }
        WireFormat.Encoded e = WireFormat.encode(message, legacy, session);
        if (e.payloadLength() > writer.limits().maxPayload) {
            return false; // the original drops oversize messages per recipient (§1.5)
        }
        int cost = e.frameLength() + ENTRY_OVERHEAD; // counted the way the channel's buffer will count it
        long pending = pendingBytes();
        long now = pending + cost;
        if (now > writer.limits().highWaterMark) {
            REFUSED.incrementAndGet(this);
            dropSlowConsumer("a message would exceed the high-water mark of " + writer.limits().highWaterMark + " bytes", pending);
            return false;
        }
        QUEUED.addAndGet(this, cost);
        writer.budget().add(cost);
        if (now > maxPending) {
            maxPending = (int) Math.min(now, Integer.MAX_VALUE); // racy max: a statistic for tests and logs
        }
        writer.offer(new LoopWriter.Entry(this, e, cost));
        return true;
    }

    /** Called by the writer when a queued entry leaves the queue (written or dropped). */
    void written(int cost) {
        QUEUED.addAndGet(this, -cost);
    }

    /** Closes the connection after everything sent so far has been written and flushed. */
    void closeAfterPending() {
        writer.offer(new LoopWriter.Entry(this, null, 0));
    }

    /** Bytes accepted but not yet written to the socket. */
    long pendingBytes() {
        ChannelOutboundBuffer buf = out.channel().unsafe().outboundBuffer();
        return queuedBytes + (buf == null ? 0 : buf.totalPendingWriteBytes());
    }

    /** The largest value {@link #pendingBytes()} reached on an accepted message. */
    long maxPendingBytes() {
        return maxPending;
    }

    long refusedMessages() {
        return refused;
    }

    /**
     * The writer left bytes of a batch in the outbound buffer (the socket is full): from the
     * first such batch on, the connection is backlogged until the last one is written.
     */
    void batchPending() {
        if (unwrittenBatches++ == 0) {
            backloggedSince = System.nanoTime() | 1; // never 0
            writer.slowConsumers().backlogged(this);
            if (!checkScheduled) {
                checkScheduled = true;
                out.channel().eventLoop().schedule(this::checkSlowConsumer, Math.max(1, writer.limits().slowConsumerNanos),
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    /** A batch that {@link #batchPending()} announced left the outbound buffer (written, or the channel went). */
    void batchWritten() {
        if (--unwrittenBatches == 0) {
            backloggedSince = 0;
            writer.slowConsumers().drained(this);
        } else {
            backloggedSince = System.nanoTime() | 1; // the socket took a whole batch: progress, the clock restarts
        }
    }

    /** Nanoseconds this connection has been backlogged at {@code now} (0 when it is not). */
    long backloggedFor(long now) {
        long since = backloggedSince;
        return since == 0 ? 0 : now - since;
    }

    /** True while the socket has not taken everything written to it. */
    boolean isBacklogged() {
        return backloggedSince != 0;
    }

    private void checkSlowConsumer() {
        checkScheduled = false;
        long since = backloggedSince;
        if (closed || since == 0) {
            return;
        }
        long left = since + writer.limits().slowConsumerNanos - System.nanoTime();
        if (left <= 0) {
            dropSlowConsumer("its socket took none of the last bytes for "
                    + TimeUnit.NANOSECONDS.toMillis(writer.limits().slowConsumerNanos) + " ms (slowConsumerTimeout)", pendingBytes());
        } else {
            checkScheduled = true; // backlogged again since: check when this backlog is old enough
            out.channel().eventLoop().schedule(this::checkSlowConsumer, left, TimeUnit.NANOSECONDS);
        }
    }

    /** Closed by {@link SlowConsumers}: the delivery budget is exhausted and this connection holds a large share. */
    void closeSlow() {
        if (!closed && log.isDebugEnabled()) { // SlowConsumers logs one WARN line for all it closes
            log.debug("slow consumer {} ({}): the delivery budget is exhausted and it is backlogged ({} bytes pending); "
                    + "disconnecting", out.channel().remoteAddress(), session == null ? "no session" : session, pendingBytes());
        }
        close();
    }

    private void dropSlowConsumer(String why, long pending) {
        if (closed) {
            return;
        }
        Session s = session;
        writer.limits().slowCloses.increment();
        log.warn("slow consumer {} ({}): {} ({} bytes pending); disconnecting",
                out.channel().remoteAddress(), s == null ? "no session" : s, why, pending);
        close();
    }

    /** Marks the connection gone (no more sends accepted). */
    void markClosed() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Abrupt close: TCP goes away without a WebSocket Close frame (§1.7); the session ends in channelInactive. */
    @Override
    public void close() {
        closed = true;
        out.channel().close();
    }
}
