package io.comet.bench;

import org.HdrHistogram.Histogram;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * What the scenarios share: the target, profile and report, the tab ids, a client, waiting until
 * tabs are subscribed, and one measured publishing step with its correctness checks.
 */
final class ScenarioContext {
    static final int MESSAGE_SIZE = 100;

    final Target target;
    final Profile profile;
    final Report report;
    final boolean statistics;
    final int sourceAddrs;
    /** The server's log when the bench started the server (null otherwise). */
    java.nio.file.Path serverLog;
    private int nextId = 1;
    /** The JIT warm-up of {@link #measure} ran in this scenario (reset by {@link #newScenario()}). */
    private boolean warmedUp;

    ScenarioContext(Target target, Profile profile, Report report, boolean statistics, int sourceAddrs) {
        this.target = target;
        this.profile = profile;
        this.report = report;
        this.statistics = statistics;
        this.sourceAddrs = sourceAddrs;
    }

    /** A scenario begins: its first measured step warms up again. */
    void newScenario() {
        warmedUp = false;
    }

    /** The next tab id. */
    int nextId() {
        return nextId++;
    }

    BenchClient client(boolean smallBuffers) {
        return new BenchClient(target, 0, sourceAddrs, 1, smallBuffers, statistics);
    }

    /** One measured publishing step: publish, drain, check, fill the figures. */
    void measure(Result r, BenchClient client, List<Conn> tabs, Tracker probes, Publishers publishers,
                         double rate, long millis, Publishers.Route route, Publishers.Sql sql)
            throws InterruptedException {
        if (!warmedUp) {
            // JIT warm-up of server and generator, under a run tag of its own (ignored by the step)
            warmedUp = true;
            Tracker warm = new Tracker(probes.publishers, probes.publishedPerTarget.length(), probes.messageSize);
            publishers.run(rate == 0 ? 1000 : rate, profile.warmupMillis(), 0, route, sql, warm);
            Thread.sleep(500);
        }
        // a fresh run tag per step: late messages of an earlier step cannot be mistaken for this one's
        Tracker tracker = new Tracker(probes.publishers, probes.publishedPerTarget.length(), probes.messageSize);
        tracker.prepare(tabs);
        client.listener(tracker);
        long errorsBefore = client.errors.sum() + client.exceptions.sum();
        long closesBefore = closes(tabs);
        long rssBefore = ServerProcess.rssKb(target.serverPid());
        CpuMeter cpu = CpuMeter.start(target.serverPid());
        tracker.measuring = true;
        long start = System.nanoTime();
        Thread progress = null;
        if (millis > 20_000) {
            progress = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(10_000);
                        System.out.println("[bench]   " + (System.nanoTime() - start) / 1_000_000_000 + " s: published "
                                + publishers.sent.sum() + ", delivered " + tracker.delivered.sum() + ", errors "
                                + (publishers.errors.sum() + client.errors.sum() + client.exceptions.sum())
                                + ", closed tabs " + closes(tabs) + ", server rss kb "
                                + ServerProcess.rssKb(target.serverPid()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "progress");
            progress.setDaemon(true);
            progress.start();
        }
        // overload (unthrottled) steps: the server's live heap halfway through, after a full GC, shows
        // whether the server queues without limit or pushes back (RSS alone mixes in G1's headroom)
        long[] mid = {-1, -1, -1};
        Thread sampler = null;
        if (rate == 0 && target.serverPid() > 0) {
            sampler = new Thread(() -> {
                try {
                    Thread.sleep(millis / 2);
                    mid[0] = ServerProcess.rssKb(target.serverPid());
                    mid[1] = ServerProcess.heapUsedKb(target.serverPid(), true);
                    mid[2] = ServerProcess.rssKb(target.serverPid());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "mid-step-heap");
            sampler.setDaemon(true);
            sampler.start();
        }
        Publishers.Run run = publishers.run(rate, millis, 0, route, sql, tracker);
        long publishEnd = System.nanoTime();
        if (progress != null) {
            progress.interrupt();
        }
        if (sampler != null) {
            sampler.join(30_000);
        }
        long rssPeak = ServerProcess.rssKb(target.serverPid());
        long expected = 0;
        for (Conn c : tabs) {
            expected += tracker.expectedFor(c);
        }
        long lastEnd = drain(tracker, expected, 15_000);
        tracker.measuring = false;
        client.listener(probes);
        cpu.stop(r);
        Histogram lat = tracker.latencySnapshot();
        long delivered = tracker.delivered.sum();
        double seconds = Math.max(1e-9, (lastEnd - start) / 1e9);
        Tracker.Check check = tracker.check(tabs, tracker::expectedFor);
        r.fig("published", run.sent()).fig("publish_rate", Math.round(run.rate()))
                .fig("deliveries", delivered).fig("deliveries_s", Math.round(delivered / seconds))
                .fig("drain_ms", (lastEnd - publishEnd) / 1_000_000);
        latency(r, "latency", lat);
        r.fig("insert_p50_ms", ms(run.insertMicros().getValueAtPercentile(50)))
                .fig("insert_p99_ms", ms(run.insertMicros().getValueAtPercentile(99)));
        r.fig("lost", check.lost()).fig("reordered", check.reordered()).fig("duplicates", check.duplicates());
        long errors = run.errors() + client.errors.sum() + client.exceptions.sum() - errorsBefore;
        long closed = closes(tabs) - closesBefore;
        r.fig("errors", errors).fig("unexpected_closes", closed);
        if (rssPeak > 0) {
            r.fig("server_rss_kb_before", rssBefore).fig("server_rss_kb_after_publish", rssPeak);
        }
        if (mid[1] > 0) {
            r.fig("mid_step_rss_kb", mid[0]).fig("mid_step_live_heap_kb", mid[1]).fig("mid_step_rss_kb_after_gc", mid[2]);
            r.note("a full GC (jcmd GC.run) halfway through this step measured the live heap");
        }
        if (check.lost() > 0) {
            r.fail(check.lost() + " deliveries lost (of " + check.expected() + ")");
        }
        if (check.reordered() > 0) {
            r.fail(check.reordered() + " deliveries out of order");
        }
        if (check.duplicates() > 0) {
            r.fail(check.duplicates() + " duplicate deliveries");
        }
        if (errors > 0) {
            r.fail(errors + " errors; last: " + (publishers.lastError != null ? publishers.lastError : client.lastError));
        }
        if (closed > 0) {
            r.fail(closed + " tabs closed during the step");
        }
    }

    /** Tabs of {@code tabs} whose connection is closed (as the client sees it). */
    static long closes(List<Conn> tabs) {
        long n = 0;
        for (Conn c : tabs) {
            if (!c.open) {
                n++;
            }
        }
        return n;
    }

    /** Waits until the deliveries stop growing for a second or reach {@code expected}. */
    private static long drain(Tracker tracker, long expected, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        long last = tracker.delivered.sum();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = tracker.delivered.sum();
            if (now >= expected) {
                return System.nanoTime();
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 1_000_000_000L) {
                return lastChange;
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    private static void latency(Result r, String name, Histogram h) {
        if (h.getTotalCount() == 0) {
            return;
        }
        r.fig(name + "_p50_ms", ms(h.getValueAtPercentile(50)))
                .fig(name + "_p99_ms", ms(h.getValueAtPercentile(99)))
                .fig(name + "_p999_ms", ms(h.getValueAtPercentile(99.9)))
                .fig(name + "_max_ms", ms(h.getMaxValue()));
    }

    static double ms(long micros) {
        return Result.round(micros / 1000.0, 2);
    }

    /**
     * Publishes probes to the targets of tabs that have not seen one yet, until every tab has:
     * the server-independent way to know subscriptions are in place. Returns the time taken.
     */
    long waitReady(QlSession ctl, List<Conn> tabs, Tracker tracker, IntFunction<String> probeSql,
                           long timeoutMillis) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        {
            while (System.nanoTime() < deadline) {
                Set<Integer> targets = new HashSet<>();
                for (Conn c : tabs) {
                    if (!c.ready && c.open && c.pipeIdx != null && c.pipeIdx.length > 0) {
                        targets.add(c.pipeIdx[0]);
                    }
                }
                if (targets.isEmpty()) {
                    break;
                }
                for (int t : targets) {
                    ctl.update(probeSql.apply(t));
                }
                Thread.sleep(targets.size() > 1000 ? 1000 : 250);
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    List<Conn> anonymous(int n, String[] pipes) {
        List<Conn> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(Conn.anonymous(nextId(), pipes, pipes == null ? null : new int[] {0}));
        }
        return l;
    }
}
