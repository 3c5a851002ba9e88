package io.comet.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The writer of one event loop (docs/architecture.md rule 4): every {@link ChannelOutbound} of the
 * loop hands its frames to it, from any thread, through one MPSC queue. The first offer into an
 * idle writer schedules one drain task on the loop, so a fan-out burst costs one task and one
 * wakeup per loop, not per connection. The drain copies each distinct encoded frame once per
 * batch into a direct buffer, writes a {@code retainedDuplicate()} of it to every target,
 * releases the copy after the batch and flushes each touched channel once at the end (so a
 * busy connection gets one {@code writev} for many messages). Per-producer order is the
 * queue's order.
 */
final class LoopWriter implements Runnable {

    /**
     * Entries written per task before the loop gets back to I/O (the rest go in a new task).
     * Large on purpose: under a backlog, coalescing is what makes a connection get many messages
     * per {@code writev}; with 8,192 entries, fan-out to 10,000 subscribers fell to ~200k
     * deliveries/s (full bench profile) because each batch then held about one message per
     * connection: one writev per delivery. The
     * queue itself is bounded by the delivery budget (64 MiB ≈ 300,000 entries of 100 B).
     */
    static final int MAX_BATCH = 1 << 18;

    private static final AtomicIntegerFieldUpdater<LoopWriter> SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(LoopWriter.class, "scheduled");

    /** One frame for one connection; {@code frame == null} asks to close after what was queued before. */
    static final class Entry {
        final ChannelOutbound target;
        final WireFormat.Encoded frame;
        final int cost;

        Entry(ChannelOutbound target, WireFormat.Encoded frame, int cost) {
            this.target = target;
            this.frame = frame;
            this.cost = cost;
        }
    }

    /**
     * Gives a batch's bytes back to the budget once the socket took them (or the channel went),
     * and tells the target its batch left the outbound buffer (the last one ends its backlog).
     */
    private static final class Release implements ChannelFutureListener {
        private final DeliveryBudget budget;
        private final ChannelOutbound target;
        private final long bytes;

        Release(DeliveryBudget budget, ChannelOutbound target, long bytes) {
            this.budget = budget;
            this.target = target;
            this.bytes = bytes;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            budget.release(bytes);
            target.batchWritten();
        }
    }

    private final EventLoop loop;
    private final DeliveryBudget budget;
    private final SlowConsumers slow;
    private final ChannelOutbound.Limits limits;
    private final Queue<Entry> queue = PlatformDependent.newMpscQueue();
    private volatile int scheduled;
    // confined to the loop
    private final IdentityHashMap<WireFormat.Encoded, ByteBuf> copies = new IdentityHashMap<>();
    private final ArrayList<ChannelOutbound> touched = new ArrayList<>();
    private WireFormat.Encoded lastFrame;
    private ByteBuf lastCopy;

    private final DeliveryObserver observer;

    LoopWriter(EventLoop loop, DeliveryBudget budget, SlowConsumers slow, ChannelOutbound.Limits limits) {
        this(loop, budget, slow, limits, DeliveryObserver.NONE);
    }

    LoopWriter(EventLoop loop, DeliveryBudget budget, SlowConsumers slow, ChannelOutbound.Limits limits,
               DeliveryObserver observer) {
        this.observer = observer;
        this.loop = loop;
        this.budget = budget;
        this.slow = slow;
        this.limits = limits;
    }

    /** The per-connection limits of the server this writer serves (held here, not per connection). */
    ChannelOutbound.Limits limits() {
        return limits;
    }

    SlowConsumers slowConsumers() {
        return slow;
    }

    DeliveryBudget budget() {
        return budget;
    }

    /** Queues an entry (any thread); schedules the drain if the writer was idle. */
    void offer(Entry e) {
        queue.offer(e);
        if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled = 0; // offers from now on schedule another run (at worst an empty one)
        int n = 0;
        try {
            Entry e;
            while (n < MAX_BATCH && (e = queue.poll()) != null) {
                n++;
                write(e);
            }
        } finally {
            finish();
        }
        if (n == MAX_BATCH && !queue.isEmpty() && SCHEDULED.compareAndSet(this, 0, 1)) {
            loop.execute(this);
        }
    }

    private void write(Entry e) {
        ChannelOutbound t = e.target;
        Channel ch = t.channel();
        if (e.frame == null) {
            if (ch.isActive()) {
                ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        t.written(e.cost);
        if (t.isClosed() || !ch.isActive()) {
            budget.release(e.cost);
            return;
        }
        t.out().write(copyOf(e.frame, ch).retainedDuplicate(), ch.voidPromise());
        if (t.batchBytes == 0) {
            touched.add(t);
        }
        t.batchBytes += e.cost;
    }

    /** The direct copy of {@code frame} for this batch (made on first use). */
    private ByteBuf copyOf(WireFormat.Encoded frame, Channel ch) {
        if (frame == lastFrame) {
            return lastCopy;
        }
        ByteBuf copy = copies.get(frame);
        if (copy == null) {
            copy = ch.alloc().directBuffer(frame.frameLength());
            frame.writeFrame(copy);
            copies.put(frame, copy);
            observer.written(System.nanoTime() - frame.createdNanos); // one sample per message per batch
        }
        lastFrame = frame;
        lastCopy = copy;
        return copy;
    }

    private void finish() {
        for (int i = 0, size = touched.size(); i < size; i++) {
            ChannelOutbound t = touched.get(i);
            long bytes = t.batchBytes;
            t.batchBytes = 0;
            Channel ch = t.channel();
            t.out().flush();
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            if (out == null || out.totalPendingWriteBytes() == 0) {
                budget.release(bytes); // all on the socket already: the common case
            } else {
                // the socket is full: give the bytes back when the batch's last write completes (or
                // fails); until then the connection is backlogged
                t.batchPending();
                t.out().writeAndFlush(Unpooled.EMPTY_BUFFER, ch.newPromise().addListener(new Release(budget, t, bytes)));
            }
        }
        touched.clear();
        if (!copies.isEmpty()) {
            for (ByteBuf b : copies.values()) {
                b.release();
            }
            copies.clear();
        }
        lastFrame = null;
        lastCopy = null;
    }
}
