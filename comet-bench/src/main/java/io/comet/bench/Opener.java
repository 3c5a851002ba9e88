package io.comet.bench;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens a batch of tabs with a bounded number of handshakes in flight (so the kernel's SYN and
 * accept backlogs measure the server, not our burst), retrying failed tabs after the JS client's
 * reconnect delay. A tab is settled when its serverInfo arrives (success) or its channel closes
 * first (failure).
 */
final class Opener {
    private final BenchClient client;
    private final Semaphore inFlight;
    private final AtomicInteger remaining;
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicInteger authorized = new AtomicInteger();
    private final AtomicLong lastSettleNanos = new AtomicLong();
    private final ArrayDeque<long[]> retries = new ArrayDeque<>();
    private final List<Conn> conns;
    private final int maxRetries;
    private final int[] attempts;

    Opener(BenchClient client, List<Conn> conns, int maxInFlight, int maxRetries) {
        this.client = client;
        this.conns = conns;
        this.inFlight = new Semaphore(maxInFlight);
        this.remaining = new AtomicInteger(conns.size());
        this.maxRetries = maxRetries;
        this.attempts = new int[conns.size()];
    }

    /** Result of one batch. */
    record Result(int requested, int opened, int failed, int failedAttempts, int authorized,
                  long elapsedNanos) {
        double perSecond() {
            return elapsedNanos == 0 ? 0 : opened * 1e9 / elapsedNanos;
        }
    }

    Result run(long timeoutMillis) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int next = 0;
        while (remaining.get() > 0 && System.nanoTime() < deadline) {
            int index = -1;
            synchronized (retries) {
                long[] r = retries.peek();
                if (r != null && r[1] <= System.nanoTime()) {
                    retries.poll();
                    index = (int) r[0];
                }
            }
            if (index < 0 && next < conns.size()) {
                index = next++;
            }
            if (index < 0) {
                Thread.sleep(5);
                continue;
            }
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            Conn c = conns.get(index);
            c.settled = false;
            c.opener = this;
            attempts[index]++;
            client.connect(c);
        }
        while (remaining.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long end = remaining.get() == 0 ? lastSettleNanos.get() : System.nanoTime();
        return new Result(conns.size(), ok.get(), conns.size() - ok.get(), failedAttempts.get(),
                authorized.get(), Math.max(0, end - start));
    }

    /** Called once per attempt by the client handler. */
    void settled(Conn c, boolean success) {
        if (c.settled) {
            return;
        }
        c.settled = true;
        inFlight.release();
        if (success) {
            ok.incrementAndGet();
            if (c.authorized) {
                authorized.incrementAndGet();
            }
            lastSettleNanos.set(System.nanoTime());
            remaining.decrementAndGet();
            return;
        }
        failedAttempts.incrementAndGet();
        int index = indexOf(c);
        if (index >= 0 && attempts[index] <= maxRetries) {
            // the v4 client waits 300 ms before the first message ever arrived, 1000 ms after
            long delay = TimeUnit.MILLISECONDS.toNanos(c.infoReceived ? 1000 : 300);
            synchronized (retries) {
                retries.add(new long[] {index, System.nanoTime() + delay});
            }
        } else {
            remaining.decrementAndGet();
        }
    }

    private int indexOf(Conn c) {
        // conns are created with consecutive ids inside one batch in most scenarios
        int guess = c.id - conns.get(0).id;
        if (guess >= 0 && guess < conns.size() && conns.get(guess) == c) {
            return guess;
        }
        return conns.indexOf(c);
    }
}
