package io.comet.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide half of the slow-consumer policy: the WebSocket connections of one server
 * whose socket did not take everything written to it (backlogged: bytes pending in Netty's
 * outbound buffer after a flush), and what happens when they exhaust the {@link DeliveryBudget}.
 *
 * <p>When a publisher finds the budget exhausted ({@link DeliveryBudget#whenBelowLimit()}),
 * {@link #shed()} closes, abruptly (client-protocol.md §1.7: the clients reconnect and
 * recover), every connection whose socket took nothing for a tenth of
 * {@link WebConfig#slowConsumerTimeout()} or longer (backlogged, and no batch written since).
 * A reader that keeps taking bytes, however slowly or late (a busy machine), is never closed
 * here: it is bounded by its high-water mark instead; connections that are not backlogged
 * (their bytes are only queued for the loop's writer) are never closed here either — then the
 * publishers' wait is plain push-back. (Closing every backlogged connection until the budget
 * was half free, as before, closed healthy readers of a busy machine: comet-bench's {@code slow}
 * scenario, FINDINGS.md.)
 * The per-connection half (high-water mark, {@link WebConfig#slowConsumerTimeout()}) is in
 * {@link ChannelOutbound}.
 */
final class SlowConsumers {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.outbound");

    private final Set<ChannelOutbound> backlogged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean shedding = new AtomicBoolean();
    private final LongAdder closed = new LongAdder();
    private final io.netty.util.concurrent.EventExecutor executor;
    /** Backlogged this long, a connection is closed whenever the budget is exhausted, however few bytes it holds. */
    private final long staleNanos;
    private DeliveryBudget budget;

    SlowConsumers(io.netty.util.concurrent.EventExecutor executor, java.time.Duration slowConsumerTimeout) {
        this.executor = executor;
        this.staleNanos = slowConsumerTimeout.toNanos() / 10;
    }

    /** Set once by the budget that sheds through this (they refer to each other). */
    void budget(DeliveryBudget b) {
        budget = b;
    }

    void backlogged(ChannelOutbound o) {
        backlogged.add(o);
        if (budget.hasWaiters()) {
            // publishers found the budget exhausted before this connection's bytes reached its
            // socket (they were still queued for the writer): shed now rather than wait for a release
            shed();
        }
    }

    void drained(ChannelOutbound o) {
        backlogged.remove(o);
    }

    /** Connections backlogged now. */
    int backloggedCount() {
        return backlogged.size();
    }

    /** Connections closed because the budget was exhausted, since the start. */
    long shedCount() {
        return closed.sum();
    }

    /** The budget is exhausted: closes the largest backlogged connections (once at a time, off the caller's thread). */
    void shed() {
        if (budget == null || backlogged.isEmpty() || !shedding.compareAndSet(false, true)) {
            return;
        }
        executor.execute(this::shedAndRecheck);
    }

    private void shedAndRecheck() {
        try {
            shedNow();
        } finally {
            shedding.set(false);
        }
        if (budget.hasWaiters() && !backlogged.isEmpty()) {
            // publishers still wait: look again soon (backlogs age into stale ones, bytes reach the sockets)
            long again = Math.max(1_000_000, Math.min(staleNanos / 4, 50_000_000));
            executor.schedule(this::shed, again, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private void shedNow() {
        long limit = budget.limit();
        if (budget.pendingBytes() < limit / 2) {
            return;
        }
        long now = System.nanoTime();
        int n = 0;
        long freed = 0;
        for (ChannelOutbound o : backlogged) {
            if (!o.isClosed() && o.backloggedFor(now) >= staleNanos) {
                long p = o.pendingBytes();
                o.closeSlow(); // its socket took nothing for a tenth of slowConsumerTimeout: not a passing burst
                freed += p;
                n++;
            }
        }
        if (n > 0) {
            closed.add(n);
            log.warn("delivery budget of {} bytes exhausted: closed {} backlogged connection(s) holding {} bytes, {} still "
                    + "backlogged", limit, n, freed, backlogged.size() - n);
        }
    }
}
