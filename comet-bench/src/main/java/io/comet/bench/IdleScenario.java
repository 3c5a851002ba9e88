package io.comet.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario (a), idle tabs: the empty server, then ever more held tabs (memory per tab, a linear
 * model extrapolated to one million), leaving them, and rounds of join-all / leave-all for leaks.
 */
final class IdleScenario {
    private final ScenarioContext ctx;
    private final Target target;
    private final Profile profile;
    private final Report report;

    IdleScenario(ScenarioContext ctx) {
        this.ctx = ctx;
        this.target = ctx.target;
        this.profile = ctx.profile;
        this.report = ctx.report;
    }

    void run() throws Exception {
        long pid = target.serverPid();
        Result base = new Result("idle-baseline");
        base.param("server_pid", pid);
        long coldRss = ServerProcess.rssKb(pid);
        base.fig("cold_rss_kb", coldRss);
        // warm up: load the server's connection classes once, then measure the empty server
        try (BenchClient c = ctx.client(true)) {
            List<Conn> warm = ctx.anonymous(Math.min(200, profile.idleSizes()[0]), null);
            c.open(warm, 100, 2, 30_000);
            c.closeGracefully(warm, 3000);
        }
        Thread.sleep(1000);
        long heapBase = ServerProcess.heapUsedKb(pid, true);
        java.util.Map<String, Long> histBase = ServerProcess.classHistogram(pid);
        java.util.Map<String, Long> nmtBase = ServerProcess.nativeMemory(pid);
        Thread.sleep(500);
        long rssBase = ServerProcess.rssKb(pid);
        base.fig("rss_kb", rssBase).fig("live_heap_kb", heapBase)
                .fig("threads", ServerProcess.threads(pid)).fig("fds", ServerProcess.fds(pid));
        if (pid <= 0) {
            base.note("no --server-pid: memory figures unavailable");
        }
        report.add(base);

        List<double[]> rssPoints = new ArrayList<>();
        List<double[]> heapPoints = new ArrayList<>();
        int max = profile.idleSizes()[profile.idleSizes().length - 1];
        try (ChildPool pool = new ChildPool(target, profile.idlePerProcess(), ctx.statistics)) {
            for (int size : profile.idleSizes()) {
                long t0 = System.nanoTime();
                int held = pool.topUp(size);
                long openMs = (System.nanoTime() - t0) / 1_000_000;
                // past the 5 s statistics command of the new tabs (once is enough for the smoke)
                boolean first = size == profile.idleSizes()[0];
                Thread.sleep(ctx.statistics && (first || !"smoke".equals(profile.name())) ? 6000 : 1000);
                long heap = ServerProcess.heapUsedKb(pid, true);
                Thread.sleep(1000);
                long rss = ServerProcess.rssKb(pid);
                Result r = new Result("idle").param("tabs", size).param("client_processes", pool.processes())
                        .param("source_addrs", Math.min(4, ctx.sourceAddrs) * pool.processes());
                r.fig("held", held).fig("open_ms", openMs).fig("server_rss_kb", rss)
                        .fig("server_fds", ServerProcess.fds(pid));
                if (rss > 0 && rssBase > 0 && held > 0) {
                    r.fig("rss_per_tab_b", Math.round((rss - rssBase) * 1024.0 / held));
                    rssPoints.add(new double[] {held, rss});
                }
                if (heap > 0 && heapBase > 0 && held > 0) {
                    r.fig("live_heap_kb", heap).fig("heap_per_tab_b", Math.round((heap - heapBase) * 1024.0 / held));
                    heapPoints.add(new double[] {held, heap});
                }
                if (held < size) {
                    r.fail((size - held) + " tabs could not be opened");
                }
                report.add(r);
                if (size == max && !histBase.isEmpty() && held > 0) {
                    report.add(heapByClass(histBase, ServerProcess.classHistogram(pid), held));
                }
                if (size == max && !nmtBase.isEmpty() && held > 0) {
                    java.util.Map<String, Long> nmt = ServerProcess.nativeMemory(pid);
                    Result n = new Result("idle-nmt").param("tabs", held)
                            .param("source", "jcmd VM.native_memory summary (committed)");
                    for (java.util.Map.Entry<String, Long> e : nmt.entrySet()) {
                        long d = e.getValue() - nmtBase.getOrDefault(e.getKey(), 0L);
                        if (Math.abs(d) * 1024 >= held * 10L) {
                            n.fig(e.getKey(), Math.round(d * 1024.0 / held) + " B/tab");
                        }
                    }
                    report.add(n);
                }
            }
            long[] closed = pool.closeAll();
            Result leave = new Result("idle-leave").param("tabs", max);
            leave.fig("closed_by_server", closed[0]).fig("close_frames_from_server", closed[1]);
            if (closed[1] > 0) {
                leave.note("server answered a client Close with a Close frame (the original drops TCP, §1.7)");
            }
            Thread.sleep(2000);
            long heapAfter = ServerProcess.heapUsedKb(pid, true);
            leave.fig("live_heap_kb_after", heapAfter).fig("rss_kb_after", ServerProcess.rssKb(pid))
                    .fig("fds_after", ServerProcess.fds(pid));
            report.add(leave);
            // leak check: rounds of join-all / leave-all at the largest size
            List<Long> heaps = new ArrayList<>();
            for (int round = 1; round < profile.idleRounds(); round++) {
                pool.topUp(max);
                Thread.sleep(1000);
                pool.closeAll();
                Thread.sleep(1500);
                heaps.add(ServerProcess.heapUsedKb(pid, true));
            }
            if (!heaps.isEmpty()) {
                Result rounds = new Result("idle-rounds").param("rounds", profile.idleRounds()).param("tabs", max);
                rounds.fig("live_heap_kb_after_each", heaps).fig("live_heap_kb_baseline", heapBase)
                        .fig("rss_kb_end", ServerProcess.rssKb(pid));
                if (heapBase > 0) {
                    long last = heaps.get(heaps.size() - 1);
                    rounds.fig("growth_kb", last - heapBase);
                    if (last - heapBase > Math.max(2048, heapBase / 5)) {
                        rounds.note("live heap did not return to baseline: possible leak");
                    }
                }
                report.add(rounds);
            }
        }
        Result model = new Result("idle-model");
        fitModel(model, "rss", rssPoints);
        fitModel(model, "heap", heapPoints);
        if (!rssPoints.isEmpty() || !heapPoints.isEmpty()) {
            report.add(model);
        }
    }

    /**
     * The classes whose live bytes grew by at least 4 bytes per tab between the empty server and
     * {@code held} tabs, most first (every class a connection holds one of, or a share of one).
     */
    private static Result heapByClass(java.util.Map<String, Long> base, java.util.Map<String, Long> now, int held) {
        Result r = new Result("idle-heap-by-class").param("tabs", held).param("source", "jcmd GC.class_histogram");
        now.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - base.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() >= 4L * held)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> r.fig(e.getKey(), Result.round(e.getValue() / (double) held, 1) + " B/tab"));
        return r;
    }

    /** Least squares {@code kb = a + b * tabs}; extrapolates to one million tabs. */
    private static void fitModel(Result r, String what, List<double[]> pts) {
        if (pts.size() < 2) {
            return;
        }
        double n = pts.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : pts) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double a = (sy - b * sx) / n;
        r.fig(what + "_fixed_mb", Result.round(a / 1024, 1))
                .fig(what + "_per_tab_b", Math.round(b * 1024))
                .fig(what + "_at_1M_tabs_gb", Result.round((a + b * 1_000_000) / 1024 / 1024, 2));
    }
}
