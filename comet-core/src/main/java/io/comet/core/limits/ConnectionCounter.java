package io.comet.core.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open connections of one listener, in all and per client address, against two limits (0 = no
 * limit). Transport-neutral: listeners call {@link #tryOpen} when a connection is accepted and
 * {@link #close} once when it goes. The per-address table holds only addresses with open
 * connections, so it is bounded by the connections themselves. Thread-safe.
 *
 * @param <A> the address key, compared with {@code equals} (the transport uses the peer's
 *            {@code InetAddress} it already holds, so counting keeps nothing per connection)
 */
public final class ConnectionCounter<A> {

    /** Why {@link #tryOpen} refused. */
    public enum Refusal { NONE, TOTAL, PER_ADDRESS }

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<A, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    /** Limits of 0 mean none. */
    public ConnectionCounter(int maxTotal, int maxPerAddress) {
        if (maxTotal < 0 || maxPerAddress < 0) {
            throw new IllegalArgumentException("limits: " + maxTotal + ", " + maxPerAddress + " (expected: >= 0)");
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address} unless a limit is reached (then nothing is counted but the refusal). */
    public Refusal tryOpen(A address) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            refused.increment();
            return Refusal.TOTAL;
        }
        {
            boolean[] over = {false};
            perAddress.compute(address, (k, n) -> {
                AtomicInteger c = n == null ? new AtomicInteger() : n;
                if (maxPerAddress > 0 && c.get() >= maxPerAddress) {
                    over[0] = true;
                } else {
                    c.incrementAndGet();
                }
                return c.get() == 0 ? null : c;
            });
            if (over[0]) {
                total.decrementAndGet();
                refused.increment();
                return Refusal.PER_ADDRESS;
            }
        }
        return Refusal.NONE;
    }

    /** A connection counted by {@link #tryOpen} went. */
    public void close(A address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    /** Open connections. */
    public int open() {
        return total.get();
    }

    /** Open connections from {@code address}. */
    public int open(A address) {
        AtomicInteger c = perAddress.get(address);
        return c == null ? 0 : c.get();
    }

    /** Addresses with open connections (the table's size). */
    public int addresses() {
        return perAddress.size();
    }

    /** Connections refused since the start. */
    public long refused() {
        return refused.sum();
    }

    public int maxTotal() {
        return maxTotal;
    }

    public int maxPerAddress() {
        return maxPerAddress;
    }
}
