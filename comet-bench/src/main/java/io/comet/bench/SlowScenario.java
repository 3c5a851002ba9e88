package io.comet.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13 point 1 at scale: publishers insert 100-byte messages into one pipe as fast as they
 * are acknowledged, first with only healthy subscribers (the first fan-out size, the baseline),
 * then with hundreds or thousands of extra
 * subscribers on the same pipe that stop reading once subscribed (4 KiB socket buffers, reads
 * switched off). The figure is the publish rate with them as a share of the rate without them
 * (goal: at least 80 %); the healthy subscribers must get every message in order (a loss fails the
 * step, as in every delivery step), and the non-readers must be disconnected by the server
 * (slow-consumer policy, docs/client-protocol.md §1.7) — how many and how soon is reported.
 */
final class SlowScenario {
    private static final String PIPE = "bench_slow";
    /**
     * Bytes per message: the fan-out scenario's. Larger messages at the unthrottled rate make the
     * load generator's own readers (sharing the 2 cores with the server) fall 1 MiB behind and be
     * closed by their high-water mark even without any non-reader (seen with 600 bytes and 100 or
     * 300 healthy tabs: FINDINGS.md).
     */
    private static final int MESSAGE_BYTES = ScenarioContext.MESSAGE_SIZE;
    private final ScenarioContext ctx;
    private final Target target;
    private final Profile profile;
    private final Report report;

    SlowScenario(ScenarioContext ctx) {
        this.ctx = ctx;
        this.target = ctx.target;
        this.profile = ctx.profile;
        this.report = ctx.report;
    }

    void run() throws Exception {
        int healthyN = profile.fanoutSubscribers()[0];
        int pubs = profile.fanoutPublishers();
        Tracker tracker = new Tracker(pubs, 1, MESSAGE_BYTES);
        List<Conn> healthy = ctx.anonymous(healthyN, new String[] {PIPE});
        try (BenchClient client = ctx.client(false);
             Publishers publishers = new Publishers(target, pubs);
             QlSession ctl = QlSession.open(target)) {
            client.listener(tracker);
            client.open(healthy, 1000, 3, 120_000);
            ctx.waitReady(ctl, healthy, tracker, idx -> CometQl.publishSql(PIPE, "probe", tracker.probe(0)), 60_000);
            Result base = new Result("slow-baseline").param("healthy", healthyN).param("non_readers", 0)
                    .param("publishers", pubs).param("msg_bytes", MESSAGE_BYTES).param("seconds", profile.stepMillis() / 1000.0);
            ctx.measure(base, client, healthy, tracker, publishers, 0, profile.stepMillis(), (pub, seq) -> 0,
                    (t, p) -> CometQl.publishSql(PIPE, "m", p));
            report.add(base);
            double baseRate = ((Number) base.figures.get("publish_rate")).doubleValue();
            for (int k : profile.slowNonReaders()) {
                report.add(withNonReaders(client, healthy, tracker, publishers, k, baseRate));
            }
            client.closeGracefully(healthy, 3000);
        }
    }

    private Result withNonReaders(BenchClient client, List<Conn> healthy, Tracker tracker, Publishers publishers,
                                  int k, double baseRate) throws Exception {
        Result r = new Result("slow-subscribers").param("healthy", healthy.size()).param("non_readers", k)
                .param("publishers", publishers.size()).param("msg_bytes", MESSAGE_BYTES)
                .param("seconds", profile.stepMillis() / 1000.0);
        List<Conn> slow = ctx.anonymous(k, new String[] {PIPE});
        try (BenchClient slowClient = ctx.client(true)) {
            Opener.Result open = slowClient.open(slow, 1000, 3, 120_000);
            r.fig("non_readers_open", open.opened());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (subscribers() < healthy.size() + k && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            for (Conn c : slow) {
                if (c.channel != null) {
                    c.channel.config().setAutoRead(false); // subscribed: from now on this tab reads nothing
                }
            }
            long t0 = System.nanoTime();
            ctx.measure(r, client, healthy, tracker, publishers, 0, profile.stepMillis(), (pub, seq) -> 0,
                    (t, p) -> CometQl.publishSql(PIPE, "m", p));
            // counted by the server: a client that reads nothing does not see its connection close either
            int closedAtEnd = k - nonReadersLeft(healthy);
            long waitMillis = Math.min(30_000, 5 * profile.stepMillis());
            long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            int left;
            while ((left = nonReadersLeft(healthy)) > 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }
            double rate = ((Number) r.figures.get("publish_rate")).doubleValue();
            double share = baseRate <= 0 ? 0 : rate / baseRate;
            r.fig("publish_rate_share", Result.round(share, 3))
                    .fig("non_readers_closed_during_step", closedAtEnd)
                    .fig("non_readers_closed_within_" + waitMillis / 1000 + "s_after", k - left)
                    .fig("seconds_until_all_closed", left == 0 ? Result.round((System.nanoTime() - t0) / 1e9, 1) : "not all");
            r.note("goal: publish_rate_share >= 0.8 (issue 13 point 1); " + (share >= 0.8 ? "met" : "NOT met"));
            slowClient.closeGracefully(slow, 3000);
        }
        return r;
    }

    /** Non-readers the server still holds: its subscriber count of the pipe minus the healthy tabs still open. */
    private int nonReadersLeft(List<Conn> healthy) throws Exception {
        return Math.max(0, subscribers() - (healthy.size() - (int) ScenarioContext.closes(healthy)));
    }

    /** The server's subscriber count of the pipe, through CometQL's {@code pipes} table. */
    private int subscribers() throws Exception {
        try (Connection c = CometQl.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT users FROM pipes WHERE name = '" + PIPE + "'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
