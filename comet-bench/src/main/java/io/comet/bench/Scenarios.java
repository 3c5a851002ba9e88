package io.comet.bench;

import org.HdrHistogram.Histogram;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The benchmark scenarios of issue [6]. Every scenario opens its own tabs, measures, checks
 * correctness (what was published arrived, in order, once) and closes its tabs, so the server is
 * back to empty between scenarios. Timing never fails a scenario; loss, reordering and errors do.
 */
final class Scenarios {
    static final String[] ALL = {"idle", "fanout", "manypipes", "private", "cometql", "connect", "soak", "fuzz"};
    private static final int MESSAGE_SIZE = 100;

    private final Target target;
    private final Profile profile;
    private final Report report;
    private final boolean statistics;
    private final int sourceAddrs;
    private int nextId = 1;
    private boolean warmedUp;

    Scenarios(Target target, Profile profile, Report report, boolean statistics, int sourceAddrs) {
        this.target = target;
        this.profile = profile;
        this.report = report;
        this.statistics = statistics;
        this.sourceAddrs = sourceAddrs;
    }

    /** Records every scenario with JFR on the server into this directory (null = off). */
    java.nio.file.Path jfrDir;

    void run(String name) throws Exception {
        warmedUp = false;
        long t0 = System.nanoTime();
        System.out.println("[bench] scenario " + name + " ...");
        boolean jfr = jfrDir != null && target.serverPid() > 0;
        if (jfr) {
            java.nio.file.Files.createDirectories(jfrDir);
            System.out.println("[bench]   " + ServerProcess.jcmd(target.serverPid(), "JFR.start", "name=bench-" + name,
                    "settings=profile", "filename=" + jfrDir.resolve(name + ".jfr").toAbsolutePath()).trim());
        }
        try {
            switch (name) {
                case "idle" -> idle();
                case "fanout" -> fanout();
                case "manypipes" -> manyPipes();
                case "private" -> privateMessages();
                case "cometql" -> cometql();
                case "connect" -> connect();
                case "soak" -> soak();
                case "fuzz" -> fuzz();
                default -> throw new IllegalArgumentException("scenario: " + name + " (expected one of "
                        + String.join(", ", ALL) + ")");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            e.printStackTrace();
            report.add(new Result(name).fail("aborted: " + e));
        } finally {
            if (jfr) {
                System.out.println("[bench]   " + ServerProcess.jcmd(target.serverPid(), "JFR.stop", "name=bench-" + name).trim());
            }
        }
        System.out.println("[bench] scenario " + name + " took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    // ---------------------------------------------------------------- fuzz (issue 13 point 7)

    private void fuzz() throws Exception {
        long pid = target.serverPid();
        Result r = new Result("fuzz");
        long heap0 = ServerProcess.heapUsedKb(pid, true);
        long rss0 = ServerProcess.rssKb(pid);
        int n = Fuzz.inputs(profile);
        Fuzz f = new Fuzz(target, 13);
        long t0 = System.nanoTime();
        f.run(n);
        double secs = (System.nanoTime() - t0) / 1e9;
        r.param("inputs", n).fig("seconds", secs).fig("inputs_per_s", n / secs).fig("connections", f.connections)
                .fig("closed_by_server", f.closedByServer);
        // still serving: a browser upgrade and a CometQL login answer
        try (RawQlSession q = RawQlSession.connect(target)) {
            q.update("INSERT INTO pipes_messages (name, event, message) VALUES ('web_fuzz', 'e', 'after')");
        } catch (Exception e) {
            r.fail("CometQL no longer serves after fuzzing: " + e);
        }
        try (java.net.Socket s = new java.net.Socket(target.host(), target.wsPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /ws/sesion=x&myid=0&devid=0&v=4.08&uuid=after&api=js HTTP/1.1\r\nHost: x\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            if (!new String(head, java.nio.charset.StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
                r.fail("WebSocket upgrade after fuzzing answered " + new String(head, java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        Thread.sleep(1000); // let the last closes settle before measuring
        r.fig("live_heap_kb_before", heap0).fig("live_heap_kb_after", ServerProcess.heapUsedKb(pid, true))
                .fig("rss_kb_before", rss0).fig("rss_kb_after", ServerProcess.rssKb(pid));
        report.add(r);
    }

    private BenchClient client(boolean smallBuffers) {
        return new BenchClient(target, 0, sourceAddrs, 1, smallBuffers, statistics);
    }

    // ---------------------------------------------------------------- (a) idle

    private void idle() throws Exception {
        long pid = target.serverPid();
        Result base = new Result("idle-baseline");
        base.param("server_pid", pid);
        long coldRss = ServerProcess.rssKb(pid);
        base.fig("cold_rss_kb", coldRss);
        // warm up: load the server's connection classes once, then measure the empty server
        try (BenchClient c = client(true)) {
            List<Conn> warm = anonymous(Math.min(200, profile.idleSizes()[0]), null);
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
        try (ChildPool pool = new ChildPool(target, profile.idlePerProcess(), statistics)) {
            for (int size : profile.idleSizes()) {
                long t0 = System.nanoTime();
                int held = pool.topUp(size);
                long openMs = (System.nanoTime() - t0) / 1_000_000;
                // past the 5 s statistics command of the new tabs (once is enough for the smoke)
                boolean first = size == profile.idleSizes()[0];
                Thread.sleep(statistics && (first || !"smoke".equals(profile.name())) ? 6000 : 1000);
                long heap = ServerProcess.heapUsedKb(pid, true);
                Thread.sleep(1000);
                long rss = ServerProcess.rssKb(pid);
                Result r = new Result("idle").param("tabs", size).param("client_processes", pool.processes())
                        .param("source_addrs", Math.min(4, sourceAddrs) * pool.processes());
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

    /** The classes whose live bytes grew most per tab between the empty server and {@code held} tabs. */
    private static Result heapByClass(java.util.Map<String, Long> base, java.util.Map<String, Long> now, int held) {
        Result r = new Result("idle-heap-by-class").param("tabs", held).param("source", "jcmd GC.class_histogram");
        now.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - base.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(12)
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

    // ---------------------------------------------------------------- (b) fan-out

    private void fanout() throws Exception {
        for (int i = 0; i < profile.fanoutSubscribers().length; i++) {
            int subs = profile.fanoutSubscribers()[i];
            double[] rates = profile.fanoutRates()[i];
            String pipe = "bench_fan_" + subs;
            int pubs = profile.fanoutPublishers();
            Tracker tracker = new Tracker(pubs, 1, MESSAGE_SIZE);
            List<Conn> tabs = anonymous(subs, new String[] {pipe});
            try (BenchClient client = client(false);
                 Publishers publishers = new Publishers(target, pubs);
                 QlSession ctl = QlSession.open(target)) {
                client.listener(tracker);
                Opener.Result open = client.open(tabs, 1000, 3, 120_000);
                long readyMs = waitReady(ctl, tabs, tracker, idx -> CometQl.publishSql(pipe, "probe", tracker.probe(0)), 60_000);
                for (double rate : rates) {
                    Result r = new Result("fanout").param("subscribers", subs).param("publishers", pubs)
                            .param("rate_msg_s", rate == 0 ? "max" : rate).param("msg_bytes", MESSAGE_SIZE)
                            .param("seconds", profile.stepMillis() / 1000.0);
                    r.fig("open", open.opened()).fig("ready_ms", readyMs);
                    measure(r, client, tabs, tracker, publishers, rate, profile.stepMillis(), (pub, seq) -> 0, (t, p) -> CometQl.publishSql(pipe, "m", p));
                    report.add(r);
                }
                client.closeGracefully(tabs, 3000);
            }
        }
    }

    /** One measured publishing step: publish, drain, check, fill the figures. */
    private void measure(Result r, BenchClient client, List<Conn> tabs, Tracker probes, Publishers publishers,
                         double rate, long millis, Publishers.Route route, Publishers.Sql sql)
            throws InterruptedException {
        if (!warmedUp) {
            // JIT warm-up of server and generator, under a run tag of its own (ignored by the step)
            warmedUp = true;
            Tracker warm = new Tracker(probes.publishers, probes.publishedPerTarget.length(), MESSAGE_SIZE);
            publishers.run(rate == 0 ? 1000 : rate, profile.warmupMillis(), 0, route, sql, warm);
            Thread.sleep(500);
        }
        // a fresh run tag per step: late messages of an earlier step cannot be mistaken for this one's
        Tracker tracker = new Tracker(probes.publishers, probes.publishedPerTarget.length(), MESSAGE_SIZE);
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

    private static long closes(List<Conn> tabs) {
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

    private static double ms(long micros) {
        return Result.round(micros / 1000.0, 2);
    }

    /**
     * Publishes probes to the targets of tabs that have not seen one yet, until every tab has:
     * the server-independent way to know subscriptions are in place. Returns the time taken.
     */
    private long waitReady(QlSession ctl, List<Conn> tabs, Tracker tracker, IntFunction<String> probeSql,
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

    private List<Conn> anonymous(int n, String[] pipes) {
        List<Conn> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(Conn.anonymous(nextId++, pipes, pipes == null ? null : new int[] {0}));
        }
        return l;
    }

    // ---------------------------------------------------------------- (c) many pipes

    private void manyPipes() throws Exception {
        int pipes = profile.manyPipes();
        int tabsN = profile.manyPipesTabs();
        Random rnd = new Random(42);
        List<List<Integer>> perTab = new ArrayList<>();
        for (int i = 0; i < tabsN; i++) {
            perTab.add(new ArrayList<>());
        }
        int cursor = 0;
        long subscriptions = 0;
        for (int p = 0; p < pipes; p++) {
            int k = 1 + rnd.nextInt(5);
            for (int j = 0; j < k; j++) {
                perTab.get(cursor % tabsN).add(p);
                cursor++;
                subscriptions++;
            }
        }
        String prefix = "bench_mp_";
        List<Conn> tabs = new ArrayList<>();
        int maxPerTab = 0;
        for (List<Integer> l : perTab) {
            String[] names = new String[l.size()];
            int[] idx = new int[l.size()];
            for (int i = 0; i < l.size(); i++) {
                idx[i] = l.get(i);
                names[i] = prefix + idx[i];
            }
            maxPerTab = Math.max(maxPerTab, l.size());
            tabs.add(new Conn(nextId++, 0, null, names, idx));
        }
        int pubs = profile.fanoutPublishers();
        Tracker tracker = new Tracker(pubs, pipes, MESSAGE_SIZE);
        try (BenchClient client = client(false);
             Publishers publishers = new Publishers(target, pubs);
             QlSession ctl = QlSession.open(target)) {
            client.listener(tracker);
            Opener.Result open = client.open(tabs, 1000, 3, 120_000);
            long readyMs = waitReady(ctl, tabs, tracker, idx -> CometQl.publishSql(prefix + idx, "probe", tracker.probe(idx)), 120_000);
            Result r = new Result("manypipes").param("pipes", pipes).param("tabs", tabsN)
                    .param("subscriptions", subscriptions).param("max_pipes_per_tab", maxPerTab)
                    .param("publishers", pubs).param("rate_msg_s", profile.manyPipesRate())
                    .param("seconds", profile.stepMillis() / 1000.0);
            r.fig("open", open.opened()).fig("ready_ms", readyMs);
            measure(r, client, tabs, tracker, publishers, profile.manyPipesRate(), profile.stepMillis(),
                    (pub, seq) -> java.util.concurrent.ThreadLocalRandom.current().nextInt(pipes),
                    (t, p) -> CometQl.publishSql(prefix + t, "m", p));
            report.add(r);
            client.closeGracefully(tabs, 3000);
        }
    }

    // ---------------------------------------------------------------- (d) private messages

    private void privateMessages() throws Exception {
        int users = profile.privateUsers();
        int sessions = profile.privateSessions();
        long idBase = 1_000_000L + new Random().nextInt(1_000_000) * 100L;
        int pubs = profile.fanoutPublishers();
        Tracker tracker = new Tracker(pubs, users, MESSAGE_SIZE);
        List<Conn> tabs = new ArrayList<>();
        try (BenchClient client = client(false);
             Publishers publishers = new Publishers(target, pubs);
             QlSession ctl = QlSession.open(target)) {
            long t0 = System.nanoTime();
            for (int u = 0; u < users; u++) {
                ctl.update(CometQl.authSql(idBase + u, "h" + tracker.tag + u));
            }
            long authMs = (System.nanoTime() - t0) / 1_000_000;
            for (int u = 0; u < users; u++) {
                for (int k = 0; k < sessions; k++) {
                    tabs.add(new Conn(nextId++, idBase + u, "h" + tracker.tag + u, null, new int[] {u}));
                }
            }
            client.listener(tracker);
            Opener.Result open = client.open(tabs, 1000, 3, 120_000);
            long readyMs = waitReady(ctl, tabs, tracker, u -> CometQl.privateSql(idBase + u, "probe", tracker.probe(u)), 60_000);
            Result r = new Result("private").param("users", users).param("sessions_per_user", sessions)
                    .param("publishers", pubs).param("rate_msg_s", profile.privateRate())
                    .param("seconds", profile.stepMillis() / 1000.0);
            r.fig("auth_inserts_ms", authMs).fig("open", open.opened()).fig("authorized", open.authorized())
                    .fig("ready_ms", readyMs);
            if (open.authorized() < tabs.size()) {
                r.fail((tabs.size() - open.authorized()) + " sessions not authorized");
            }
            measure(r, client, tabs, tracker, publishers, profile.privateRate(), profile.stepMillis(),
                    (pub, seq) -> java.util.concurrent.ThreadLocalRandom.current().nextInt(users),
                    (u, p) -> CometQl.privateSql(idBase + u, "m", p));
            report.add(r);
            client.closeGracefully(tabs, 3000);
        }
    }

    // ---------------------------------------------------------------- (e) CometQL throughput

    private void cometql() throws Exception {
        for (int c : profile.cqlConnections()) {
            try (Publishers publishers = new Publishers(target, c)) {
                CpuMeter cpu = CpuMeter.start(target.serverPid());
                Publishers.Run run = publishers.run(0, profile.cqlMillis(), 0, (pub, seq) -> 0,
                        (t, p) -> CometQl.publishSql("bench_cql_nobody", "m", pad(p)), null);
                Result r = new Result("cometql").param("connections", c).param("statement", "INSERT INTO pipes_messages")
                        .param("subscribers", 0).param("seconds", profile.cqlMillis() / 1000.0);
                r.fig("inserts", run.sent()).fig("inserts_s", Math.round(run.rate()))
                        .fig("insert_p50_ms", ms(run.insertMicros().getValueAtPercentile(50)))
                        .fig("insert_p99_ms", ms(run.insertMicros().getValueAtPercentile(99)))
                        .fig("insert_p999_ms", ms(run.insertMicros().getValueAtPercentile(99.9)))
                        .fig("errors", run.errors());
                cpu.stop(r);
                if (run.errors() > 0) {
                    r.fail(run.errors() + " errors; last: " + publishers.lastError);
                }
                report.add(r);
            }
        }
    }

    private static String pad(String p) {
        StringBuilder sb = new StringBuilder(MESSAGE_SIZE).append(p);
        while (sb.length() < MESSAGE_SIZE) {
            sb.append('x');
        }
        return sb.toString();
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
            tabs.add(new Conn(nextId++, 0, null, new String[] {"bench_storm_" + p}, new int[] {p}));
        }
        return tabs;
    }

    private void connect() throws Exception {
        int n = profile.connectTabs();
        int pipesN = 10;
        List<Conn> tabs = stormTabs(n, pipesN);
        Tracker tracker = new Tracker(1, pipesN, MESSAGE_SIZE);
        try (BenchClient client = client(false); QlSession ctl = QlSession.open(target)) {
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
            long readyMs = waitReady(ctl, tabs, tracker, p -> CometQl.publishSql("bench_storm_" + p, "probe", tracker.probe(p)), 60_000);
            // the storm: every tab drops at once and comes back at once (the v4 client retries)
            client.dropAll(tabs);
            for (Conn c : tabs) {
                c.ready = false;
            }
            tracker.readyTabs.reset();
            long t0 = System.nanoTime();
            Opener.Result back = client.open(tabs, n, 10, 120_000);
            long backMs = (System.nanoTime() - t0) / 1_000_000;
            long subscribedMs = waitReady(ctl, tabs, tracker, p -> CometQl.publishSql("bench_storm_" + p, "probe", tracker.probe(p)), 60_000);
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

    // ---------------------------------------------------------------- soak

    private void soak() throws Exception {
        int pipesN = profile.soakPipes();
        int n = profile.soakTabs();
        List<Conn> tabs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p = i % pipesN;
            tabs.add(new Conn(nextId++, 0, null, new String[] {"bench_soak_" + p}, new int[] {p}));
        }
        int pubs = profile.soakPublishers();
        Tracker tracker = new Tracker(pubs, pipesN, MESSAGE_SIZE);
        try (BenchClient client = client(false);
             Publishers publishers = new Publishers(target, pubs);
             QlSession ctl = QlSession.open(target)) {
            client.listener(tracker);
            Opener.Result open = client.open(tabs, 1000, 3, 120_000);
            long readyMs = waitReady(ctl, tabs, tracker, p -> CometQl.publishSql("bench_soak_" + p, "probe", tracker.probe(p)), 60_000);
            Result r = new Result("soak").param("tabs", n).param("pipes", pipesN).param("cometql_connections", pubs)
                    .param("rate_msg_s", profile.soakRate()).param("seconds", profile.soakMillis() / 1000.0);
            r.fig("open", open.opened()).fig("ready_ms", readyMs);
            long rssStart = ServerProcess.rssKb(target.serverPid());
            measure(r, client, tabs, tracker, publishers, profile.soakRate(), profile.soakMillis(),
                    (pub, seq) -> (int) ((seq + pub) % pipesN), (t, pl) -> CometQl.publishSql("bench_soak_" + t, "m", pl));
            if (rssStart > 0) {
                r.fig("server_rss_kb_start", rssStart).fig("server_rss_kb_end", ServerProcess.rssKb(target.serverPid()));
            }
            report.add(r);
            client.closeGracefully(tabs, 3000);
        }
    }
}
