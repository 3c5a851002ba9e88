package io.comet.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * C CometQL connections, one thread each, publishing at a total target rate (0 = as fast as the
 * server answers). Each thread is one publisher with its own sequence numbers. The INSERT round
 * trip is timed too: a server that pushes back on publishers shows it here.
 */
final class Publishers implements AutoCloseable {
    /** Builds the SQL that sends {@code payload} to target (pipe or user index) {@code target}. */
    interface Sql {
        String sql(int target, String payload);
    }

    /** Which target (pipe or user index) publisher {@code pub} sends message {@code seq} to. */
    interface Route {
        int target(int pub, long seq);
    }

    private final Target target;
    private final List<QlSession> conns = new ArrayList<>();
    final Recorder insertLatency = new Recorder(3_600_000_000L, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder errors = new LongAdder();
    volatile String lastError;

    Publishers(Target target, int connections) throws SQLException {
        this.target = target;
        for (int i = 0; i < connections; i++) {
            conns.add(QlSession.open(target));
        }
    }

    int size() {
        return conns.size();
    }

    /** Result of one timed run. */
    record Run(long sent, long errors, long elapsedNanos, Histogram insertMicros) {
        double rate() {
            return elapsedNanos == 0 ? 0 : sent * 1e9 / elapsedNanos;
        }
    }

    /**
     * Publishes for {@code millis} at {@code ratePerSecond} in total (0 = unlimited), or until
     * {@code maxMessages} in total were sent (0 = no limit).
     *
     * @param tracker receives the per-target published counts (may be null)
     */
    Run run(double ratePerSecond, long millis, long maxMessages, Route route, Sql sqlFor,
            Tracker tracker) throws InterruptedException {
        int n = conns.size();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder total = new LongAdder();
        long sentBefore = sent.sum();
        long errorsBefore = errors.sum();
        insertLatency.reset();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
        long perMessageBudget = maxMessages > 0 ? (maxMessages + n - 1) / n : Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            final int pub = i + 1;
            final QlSession s = conns.get(i);
            Thread t = new Thread(() -> {
                long interval = ratePerSecond > 0 ? (long) (1e9 * n / ratePerSecond) : 0;
                long next = System.nanoTime();
                long seq = 0;
                try {
                    while (!stop.get() && System.nanoTime() < end && seq < perMessageBudget) {
                        if (interval > 0) {
                            long now = System.nanoTime();
                            if (next > now) {
                                long sleep = next - now;
                                if (sleep > 200_000) {
                                    TimeUnit.NANOSECONDS.sleep(sleep);
                                } else {
                                    Thread.onSpinWait();
                                    continue;
                                }
                            } else if (now - next > 100_000_000L) {
                                next = now; // behind by more than 100 ms: do not burst
                            }
                            next += interval;
                        }
                        seq++;
                        int tgt = route.target(pub, seq);
                        String sql = sqlFor.sql(tgt, tracker == null ? "bench" + seq : tracker.payload(pub, seq, tgt));
                        long t0 = System.nanoTime();
                        try {
                            s.update(sql);
                            insertLatency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                            if (tracker != null) {
                                tracker.publishedPerTarget.incrementAndGet(tgt);
                            }
                            sent.increment();
                            total.increment();
                        } catch (SQLException e) {
                            errors.increment();
                            lastError = e.getMessage();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "publisher-" + pub);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(Math.max(1, millis + 60_000));
        }
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        return new Run(sent.sum() - sentBefore, errors.sum() - errorsBefore, elapsed,
                insertLatency.getIntervalHistogram());
    }

    @Override
    public void close() {
        for (QlSession c : conns) {
            c.close();
        }
    }
}
