package io.comet.transport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * recover), every connection backlogged for a tenth of {@link WebConfig#slowConsumerTimeout()}
 * or longer, then further backlogged connections, the longest backlogs first (then the most
 * pending bytes), until the bytes they hold would bring the total down to half the budget. Healthy connections are
 * never backlogged for long and hold few bytes, so they are the last in line; connections that
 * are not backlogged (their bytes are only queued for the loop's writer) are never closed here.
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
        long excess = budget.pendingBytes() - limit / 2;
        if (excess <= 0) {
            return;
        }
        List<ChannelOutbound> open = new ArrayList<>();
        List<Long> pending = new ArrayList<>();
        List<Long> age = new ArrayList<>();
        long now = System.nanoTime();
        int n = 0;
        long freed = 0;
        for (ChannelOutbound o : backlogged) {
            long p = o.pendingBytes();
            if (o.isClosed()) {
                excess -= p; // already going: its bytes are on their way back to the budget
            } else if (o.backloggedFor(now) >= staleNanos) {
                o.closeSlow(); // has not caught up for a tenth of slowConsumerTimeout: not a passing burst
                excess -= p;
                freed += p;
                n++;
            } else if (p > 0) {
                open.add(o);
                pending.add(p);
                age.add(o.backloggedFor(now));
            }
        }
        Integer[] order = new Integer[open.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // the longest backlogs first (a reader that stopped has been backlogged since it stopped,
        // a healthy one only since the last burst), then the most bytes
        java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> age.get(i) / 10_000_000)
                .thenComparingLong(pending::get).reversed());
        for (int k = 0; k < order.length && excess > 0; k++) {
            ChannelOutbound o = open.get(order[k]);
            long p = pending.get(order[k]);
            o.closeSlow();
            excess -= p;
            freed += p;
            n++;
        }
        if (n > 0) {
            closed.add(n);
            log.warn("delivery budget of {} bytes exhausted: closed {} backlogged connection(s) holding {} bytes, {} still "
                    + "backlogged", limit, n, freed, backlogged.size() - n);
        }
    }
}
