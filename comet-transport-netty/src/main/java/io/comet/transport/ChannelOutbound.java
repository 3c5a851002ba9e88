package io.comet.transport;

import io.comet.core.Message;
import io.comet.core.Outbound;
import io.comet.core.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Outbound} of one WebSocket connection. {@link #send} may be called from any
 * thread: it enqueues the message's cached frame on an MPSC queue and, only when the queue was
 * idle, schedules one drain task on the channel's event loop, which writes everything queued
 * and flushes once. So a burst of messages costs one task and one flush per connection, not
 * one per message, and per-producer order is kept.
 *
 * <p>Bounded: bytes queued here plus bytes pending in Netty's outbound buffer never exceed
 * {@link WebConfig#outboundHighWaterMark()}; a message that would exceed it is refused
 * ({@code send} returns false) and, if the connection is still above half the mark after
 * {@link WebConfig#slowConsumerTimeout()}, it is disconnected with a log line.
 */
final class ChannelOutbound implements Outbound {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.outbound");
    /** What Netty's outbound buffer charges per entry on top of the bytes (its default overhead). */
    static final int ENTRY_OVERHEAD = Integer.getInteger("io.netty.transport.outboundBufferEntrySizeOverhead", 96);

    private final Channel channel;
    private final boolean legacy;
    private final int maxPayload;
    private final long highWaterMark;
    private final long slowConsumerNanos;
    private final Queue<WireFormat.Encoded> queue = PlatformDependent.newMpscQueue();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong overSince = new AtomicLong();
    private final AtomicLong maxPending = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;
    private volatile Session session;

    ChannelOutbound(Channel channel, boolean legacy, WebConfig config) {
        this.channel = channel;
        this.legacy = legacy;
        this.maxPayload = config.maxFramePayload();
        this.highWaterMark = config.outboundHighWaterMark();
        this.slowConsumerNanos = config.slowConsumerTimeout().toNanos();
    }

    void attach(Session s) {
        session = s;
    }

    Session session() {
        return session;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public boolean send(Message message) {
        if (closed) {
            return false;
        }
        WireFormat.Encoded e = WireFormat.encode(message, legacy);
        if (e.payloadLength() > maxPayload) {
            return false; // the original drops oversize messages per recipient (§1.5)
        }
        long cost = e.frameLength() + ENTRY_OVERHEAD; // counted the way the channel's buffer will count it
        long pending = pendingBytes();
        if (pending + cost > highWaterMark) {
            refused.incrementAndGet();
            overLimit();
            return false;
        }
        queuedBytes.addAndGet(cost);
        queue.offer(e);
        long now = pending + cost;
        maxPending.accumulateAndGet(now, Math::max);
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
        return true;
    }

    /** Bytes accepted but not yet written to the socket. */
    long pendingBytes() {
        ChannelOutboundBuffer buf = channel.unsafe().outboundBuffer();
        return queuedBytes.get() + (buf == null ? 0 : buf.totalPendingWriteBytes());
    }

    /** The largest value {@link #pendingBytes()} reached on an accepted message. */
    long maxPendingBytes() {
        return maxPending.get();
    }

    long refusedMessages() {
        return refused.get();
    }

    private void drain() {
        scheduled.set(false);
        boolean wrote = false;
        WireFormat.Encoded e;
        while ((e = queue.poll()) != null) {
            long cost = e.frameLength() + ENTRY_OVERHEAD;
            if (closed || !channel.isActive()) {
                queuedBytes.addAndGet(-cost);
                continue;
            }
            channel.write(e.frame(), channel.voidPromise());
            // subtract after write: the bytes are now counted by the channel's outbound buffer
            queuedBytes.addAndGet(-cost);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void overLimit() {
        long now = System.nanoTime();
        if (overSince.compareAndSet(0, now)) {
            channel.eventLoop().schedule(this::checkSlowConsumer, Math.max(1, slowConsumerNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void checkSlowConsumer() {
        if (closed) {
            return;
        }
        long pending = pendingBytes();
        if (pending > highWaterMark / 2) {
            Session s = session;
            log.warn("slow consumer {} ({}): reached the high-water mark of {} bytes and still has {} bytes pending "
                    + "{} ms later, {} messages refused; disconnecting", channel.remoteAddress(),
                    s == null ? "no session" : s, highWaterMark, pending, TimeUnit.NANOSECONDS.toMillis(slowConsumerNanos),
                    refused.get());
            close();
        } else {
            overSince.set(0);
        }
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
        channel.close();
    }
}
