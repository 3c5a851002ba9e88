package io.comet.bench;

import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens a batch of tabs with a bounded number of handshakes in flight (so the kernel's SYN and
 * accept backlogs measure the server, not our burst), retrying failed tabs after the JS client's
 * reconnect delay. A tab is settled when its serverInfo arrives (success) or its channel closes
 * first (failure).
 *
 * <p>The openers run on the event loops: the first {@code maxInFlight} attempts are spread over
 * the loops, and each settled attempt starts the next tab on the loop that settled it, so an
 * attempt costs no thread hand-off or wakeup of its own (a dedicated opener thread woken per
 * settled tab cost the load generator about a fifth of its CPU in the connect scenario). A
 * retry keeps its slot and runs on its loop after the delay.
 */
final class Opener {
    private final BenchClient client;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger remaining;
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicInteger authorized = new AtomicInteger();
    private final AtomicLong lastSettleNanos = new AtomicLong();
    private final List<Conn> conns;
    private final int maxInFlight;
    private final int maxRetries;
    private final int[] attempts;
    private volatile boolean stopped;

    Opener(BenchClient client, List<Conn> conns, int maxInFlight, int maxRetries) {
        this.client = client;
        this.conns = conns;
        this.maxInFlight = maxInFlight;
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
        int initial = Math.min(maxInFlight, conns.size());
        for (int i = 0; i < initial; i++) {
            EventLoop loop = client.nextLoop();
            loop.execute(() -> startNext(loop));
        }
        while (remaining.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        stopped = true;
        long end = remaining.get() == 0 ? lastSettleNanos.get() : System.nanoTime();
        return new Result(conns.size(), ok.get(), conns.size() - ok.get(), failedAttempts.get(),
                authorized.get(), Math.max(0, end - start));
    }

    /** Starts the next tab not yet tried, if any, on {@code loop} (called on that loop). */
    private void startNext(EventLoop loop) {
        if (stopped) {
            return;
        }
        int index = next.getAndIncrement();
        if (index < conns.size()) {
            attempt(index, loop);
        }
    }

    private void attempt(int index, EventLoop loop) {
        Conn c = conns.get(index);
        c.settled = false;
        c.opener = this;
        attempts[index]++;
        client.connect(c, loop);
    }

    /** Called once per attempt by the client handler, on the attempt's event loop. */
    void settled(Conn c, boolean success) {
        if (c.settled) {
            return;
        }
        c.settled = true;
        EventLoop loop = c.channel.isRegistered() ? c.channel.eventLoop() : client.nextLoop();
        if (success) {
            ok.incrementAndGet();
            if (c.authorized) {
                authorized.incrementAndGet();
            }
            lastSettleNanos.set(System.nanoTime());
            remaining.decrementAndGet();
            startNext(loop);
            return;
        }
        failedAttempts.incrementAndGet();
        int index = indexOf(c);
        if (index >= 0 && attempts[index] <= maxRetries && !stopped) {
            // the v4 client waits 300 ms before the first message ever arrived, 1000 ms after
            long delay = c.infoReceived ? 1000 : 300;
            loop.schedule(() -> {
                if (!stopped) {
                    attempt(index, loop);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } else {
            remaining.decrementAndGet();
            startNext(loop);
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
