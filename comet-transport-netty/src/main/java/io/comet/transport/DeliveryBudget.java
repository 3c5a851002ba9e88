package io.comet.transport;

import io.comet.core.DeliveryBacklog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server-wide count of bytes accepted by the WebSocket connections of one
 * {@link CometWebServer} and not yet written to their sockets (queued in a {@link LoopWriter}
 * or pending in a channel's outbound buffer), against {@link WebConfig#deliveryBudget()}.
 * Registered with the engine as its {@link DeliveryBacklog}: CometQL acknowledges an
 * {@code INSERT} only when this is under the budget, so publishers slow down to the speed of
 * delivery instead of filling memory. A publisher that finds it exhausted makes
 * {@link SlowConsumers} close the backlogged connections that hold the most bytes, so
 * subscribers that stopped reading cannot hold the publishers back.
 */
final class DeliveryBudget implements DeliveryBacklog {

    private final long limit;
    /** Striped: publishers add per delivery and every event loop releases per batch, so one counter would bounce. */
    private final LongAdder pending = new LongAdder();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean hasWaiters;
    private volatile boolean closed;
    private final SlowConsumers slow;

    DeliveryBudget(long limit, SlowConsumers slow) {
        this.limit = limit;
        this.slow = slow;
        slow.budget(this);
    }

    /** The backlogged connections this budget sheds when it is exhausted. */
    SlowConsumers slowConsumers() {
        return slow;
    }

    /** Times a publisher found the budget exhausted and had to wait, since the start. */
    private final java.util.concurrent.atomic.LongAdder pushbacks = new java.util.concurrent.atomic.LongAdder();

    long pushbacks() {
        return pushbacks.sum();
    }

    void add(long bytes) {
        pending.add(bytes);
    }

    void release(long bytes) {
        pending.add(-bytes);
        if (hasWaiters && pending.sum() < limit) {
            wake();
        }
    }

    /** True while publishers wait for the budget (it was found exhausted). */
    boolean hasWaiters() {
        return hasWaiters;
    }

    @Override
    public long pendingBytes() {
        return pending.sum();
    }

    @Override
    public long limit() {
        return limit;
    }

    @Override
    public CompletableFuture<Void> whenBelowLimit() {
        if (closed || pending.sum() < limit) {
            return CompletableFuture.completedFuture(null);
        }
        pushbacks.increment();
        slow.shed(); // exhausted: the connections holding the most bytes and not taking them go
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.add(f);
        hasWaiters = true;
        if (closed || pending.sum() < limit) { // released between the first check and hasWaiters
            wake();
        }
        return f;
    }

    /** The server stopped: nothing waits for its sockets any more (publishers waiting now are released). */
    void close() {
        closed = true;
        wake();
    }

    private void wake() {
        hasWaiters = false;
        CompletableFuture<Void> f;
        while ((f = waiters.poll()) != null) {
            f.complete(null);
        }
    }
}
