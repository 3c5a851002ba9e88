package io.comet.bench;

import static io.comet.bench.ScenarioContext.MESSAGE_SIZE;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario (f): the connect rate (after JIT warm-up rounds, the median of measured steps) and the
 * reconnect storm (every tab dropped at once and back at once).
 */
final class ConnectScenario {
    private final ScenarioContext ctx;
    private final Target target;
    private final Profile profile;
    private final Report report;

    ConnectScenario(ScenarioContext ctx) {
        this.ctx = ctx;
        this.target = ctx.target;
        this.profile = ctx.profile;
        this.report = ctx.report;
    }

    // ---------------------------------------------------------------- (f) connect rate, storm

    /** Unmeasured connect rounds before the connect-rate step: at least, at most, and the JIT share that ends them. */
    private static final int MIN_WARM_ROUNDS = 3;
    private static final int MAX_WARM_ROUNDS = 20;
    private static final int JIT_QUIET_PERCENT = 5;
    /** Measured connect steps; the reported rate is their median. */
    private static final int CONNECT_STEPS = 3;

    /** {@code n} anonymous tabs over pipes {@code bench_storm_0..pipes-1}, in turn. */
    private List<Conn> stormTabs(int n, int pipes) {
        List<Conn> tabs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int p = i % pipes;
            tabs.add(new Conn(ctx.nextId(), 0, null, new String[] {"bench_storm_" + p}, new int[] {p}));
        }
        return tabs;
    }

    void run() throws Exception {
        int n = profile.connectTabs();
        int pipesN = 10;
        List<Conn> tabs = stormTabs(n, pipesN);
        Tracker tracker = new Tracker(1, pipesN, MESSAGE_SIZE);
        try (BenchClient client = ctx.client(false); QlSession ctl = QlSession.open(target)) {
            client.listener(tracker);
            // warm-up of both sides' connect paths, not measured: rounds until this JVM's JIT has
            // settled (C2 compiling through the measured step cost the generator a third of its CPU)
            // (tabs of the measured size and pipes: the JIT recompiled during the step when they differed)
            int warmRounds = 0;
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            while (warmRounds < MAX_WARM_ROUNDS) {
                long jit0 = jit.getTotalCompilationTime();
                long t0 = System.nanoTime();
                List<Conn> warm = stormTabs(n, pipesN);
                Opener.Result w = client.open(warm, profile.connectInFlight(), 1, 60_000);
                client.closeGracefully(warm, 3000);
                warmRounds++;
                long roundMs = (System.nanoTime() - t0) / 1_000_000;
                long jitMs = jit.getTotalCompilationTime() - jit0;
                System.out.printf("[bench]   connect warm-up round %d: %d connects/s, bench JIT %d ms of %d ms%n", warmRounds,
                        Math.round(w.perSecond()), jitMs, roundMs);
                if (warmRounds >= MIN_WARM_ROUNDS && jitMs < roundMs * JIT_QUIET_PERCENT / 100) {
                    break;
                }
            }
            // three measured steps (one lasts well under a second, so one sample is noisy): the figure is
            // their median, all three are reported; the tabs of the last step stay open for the storm
            Result r = new Result("connect-rate").param("tabs", n).param("in_flight", profile.connectInFlight())
                    .param("warm_rounds", warmRounds + " x " + n).param("steps", CONNECT_STEPS);
            List<Long> rates = new ArrayList<>();
            Opener.Result open = null;
            for (int step = 1; step <= CONNECT_STEPS; step++) {
                CpuMeter cpu = CpuMeter.start(target.serverPid());
                long windowStart = System.nanoTime();
                open = client.open(tabs, profile.connectInFlight(), 0, 120_000);
                if (step == CONNECT_STEPS) {
                    cpu.stop(r); // CPU of the last step
                }
                rates.add(Math.round(open.perSecond()));
                // CLOCK_MONOTONIC seconds, as `perf record -k CLOCK_MONOTONIC` stamps samples: profile just this step
                System.out.printf("[bench]   connect-rate step %d: %d connects/s, ran %.3f..%.3f (monotonic s)%n", step,
                        Math.round(open.perSecond()), windowStart / 1e9, (windowStart + open.elapsedNanos()) / 1e9);
                if (open.failed() > 0) {
                    r.fail(open.failed() + " tabs failed to connect in step " + step);
                    break;
                }
                if (step < CONNECT_STEPS) {
                    client.closeGracefully(tabs, 3000);
                }
            }
            List<Long> sorted = new ArrayList<>(rates);
            java.util.Collections.sort(sorted);
            r.fig("opened", open.opened()).fig("failed", open.failed()).fig("ms", open.elapsedNanos() / 1_000_000)
                    .fig("connects_s", sorted.get(sorted.size() / 2)).fig("connects_s_each", rates);
            report.add(r);
            long readyMs = ctx.waitReady(ctl, tabs, tracker, p -> CometQl.publishSql("bench_storm_" + p, "probe", tracker.probe(p)), 60_000);
            // the storm: every tab drops at once and comes back at once (the v4 client retries)
            client.dropAll(tabs);
            for (Conn c : tabs) {
                c.ready = false;
            }
            tracker.readyTabs.reset();
            long t0 = System.nanoTime();
            Opener.Result back = client.open(tabs, n, 10, 120_000);
            long backMs = (System.nanoTime() - t0) / 1_000_000;
            long subscribedMs = ctx.waitReady(ctl, tabs, tracker, p -> CometQl.publishSql("bench_storm_" + p, "probe", tracker.probe(p)), 60_000);
            Result s = new Result("reconnect-storm").param("tabs", n).param("in_flight", "unbounded")
                    .param("retry", "v4 client delays (300/1000 ms)");
            s.fig("first_ready_ms", readyMs).fig("back", back.opened()).fig("failed_attempts", back.failedAttempts())
                    .fig("all_back_ms", backMs).fig("all_subscribed_ms", backMs + subscribedMs)
                    .fig("reconnects_s", Math.round(back.perSecond()));
            long notReady = tabs.stream().filter(c -> !c.ready).count();
            if (back.opened() < n || notReady > 0) {
                s.fail((n - back.opened()) + " tabs not back, " + notReady + " not subscribed");
            }
            report.add(s);
            client.closeGracefully(tabs, 3000);
        }
    }
}
