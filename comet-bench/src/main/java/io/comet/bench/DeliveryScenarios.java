package io.comet.bench;

import static io.comet.bench.ScenarioContext.MESSAGE_SIZE;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The publish-and-deliver scenarios, each one or more measured steps of {@link ScenarioContext#measure}:
 * (b) fan-out to one pipe, (c) many pipes, (d) private messages, and the long soak.
 */
final class DeliveryScenarios {
    private final ScenarioContext ctx;
    private final Target target;
    private final Profile profile;
    private final Report report;

    DeliveryScenarios(ScenarioContext ctx) {
        this.ctx = ctx;
        this.target = ctx.target;
        this.profile = ctx.profile;
        this.report = ctx.report;
    }

    // ---------------------------------------------------------------- (b) fan-out

    void fanout() throws Exception {
        for (int i = 0; i < profile.fanoutSubscribers().length; i++) {
            int subs = profile.fanoutSubscribers()[i];
            double[] rates = profile.fanoutRates()[i];
            String pipe = "bench_fan_" + subs;
            int pubs = profile.fanoutPublishers();
            Tracker tracker = new Tracker(pubs, 1, MESSAGE_SIZE);
            List<Conn> tabs = ctx.anonymous(subs, new String[] {pipe});
            try (BenchClient client = ctx.client(false);
                 Publishers publishers = new Publishers(target, pubs);
                 QlSession ctl = QlSession.open(target)) {
                client.listener(tracker);
                Opener.Result open = client.open(tabs, 1000, 3, 120_000);
                long readyMs = ctx.waitReady(ctl, tabs, tracker, idx -> CometQl.publishSql(pipe, "probe", tracker.probe(0)), 60_000);
                for (double rate : rates) {
                    Result r = new Result("fanout").param("subscribers", subs).param("publishers", pubs)
                            .param("rate_msg_s", rate == 0 ? "max" : rate).param("msg_bytes", MESSAGE_SIZE)
                            .param("seconds", profile.stepMillis() / 1000.0);
                    r.fig("open", open.opened()).fig("ready_ms", readyMs);
                    ctx.measure(r, client, tabs, tracker, publishers, rate, profile.stepMillis(), (pub, seq) -> 0, (t, p) -> CometQl.publishSql(pipe, "m", p));
                    report.add(r);
                }
                client.closeGracefully(tabs, 3000);
            }
        }
    }

    // ---------------------------------------------------------------- (c) many pipes

    void manyPipes() throws Exception {
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
            tabs.add(new Conn(ctx.nextId(), 0, null, names, idx));
        }
        int pubs = profile.fanoutPublishers();
        Tracker tracker = new Tracker(pubs, pipes, MESSAGE_SIZE);
        try (BenchClient client = ctx.client(false);
             Publishers publishers = new Publishers(target, pubs);
             QlSession ctl = QlSession.open(target)) {
            client.listener(tracker);
            Opener.Result open = client.open(tabs, 1000, 3, 120_000);
            long readyMs = ctx.waitReady(ctl, tabs, tracker, idx -> CometQl.publishSql(prefix + idx, "probe", tracker.probe(idx)), 120_000);
            Result r = new Result("manypipes").param("pipes", pipes).param("tabs", tabsN)
                    .param("subscriptions", subscriptions).param("max_pipes_per_tab", maxPerTab)
                    .param("publishers", pubs).param("rate_msg_s", profile.manyPipesRate())
                    .param("seconds", profile.stepMillis() / 1000.0);
            r.fig("open", open.opened()).fig("ready_ms", readyMs);
            ctx.measure(r, client, tabs, tracker, publishers, profile.manyPipesRate(), profile.stepMillis(),
                    (pub, seq) -> java.util.concurrent.ThreadLocalRandom.current().nextInt(pipes),
                    (t, p) -> CometQl.publishSql(prefix + t, "m", p));
            report.add(r);
            client.closeGracefully(tabs, 3000);
        }
    }

    // ---------------------------------------------------------------- (d) private messages

    void privateMessages() throws Exception {
        int users = profile.privateUsers();
        int sessions = profile.privateSessions();
        long idBase = 1_000_000L + new Random().nextInt(1_000_000) * 100L;
        int pubs = profile.fanoutPublishers();
        Tracker tracker = new Tracker(pubs, users, MESSAGE_SIZE);
        List<Conn> tabs = new ArrayList<>();
        try (BenchClient client = ctx.client(false);
             Publishers publishers = new Publishers(target, pubs);
             QlSession ctl = QlSession.open(target)) {
            long t0 = System.nanoTime();
            for (int u = 0; u < users; u++) {
                ctl.update(CometQl.authSql(idBase + u, "h" + tracker.tag + u));
            }
            long authMs = (System.nanoTime() - t0) / 1_000_000;
            for (int u = 0; u < users; u++) {
                for (int k = 0; k < sessions; k++) {
                    tabs.add(new Conn(ctx.nextId(), idBase + u, "h" + tracker.tag + u, null, new int[] {u}));
                }
            }
            client.listener(tracker);
            Opener.Result open = client.open(tabs, 1000, 3, 120_000);
            long readyMs = ctx.waitReady(ctl, tabs, tracker, u -> CometQl.privateSql(idBase + u, "probe", tracker.probe(u)), 60_000);
            Result r = new Result("private").param("users", users).param("sessions_per_user", sessions)
                    .param("publishers", pubs).param("rate_msg_s", profile.privateRate())
                    .param("seconds", profile.stepMillis() / 1000.0);
            r.fig("auth_inserts_ms", authMs).fig("open", open.opened()).fig("authorized", open.authorized())
                    .fig("ready_ms", readyMs);
            if (open.authorized() < tabs.size()) {
                r.fail((tabs.size() - open.authorized()) + " sessions not authorized");
            }
            ctx.measure(r, client, tabs, tracker, publishers, profile.privateRate(), profile.stepMillis(),
                    (pub, seq) -> java.util.concurrent.ThreadLocalRandom.current().nextInt(users),
                    (u, p) -> CometQl.privateSql(idBase + u, "m", p));
            report.add(r);
            client.closeGracefully(tabs, 3000);
        }
    }

    // ---------------------------------------------------------------- soak

    void soak() throws Exception {
        int pipesN = profile.soakPipes();
        int n = profile.soakTabs();
        List<Conn> tabs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p = i % pipesN;
            tabs.add(new Conn(ctx.nextId(), 0, null, new String[] {"bench_soak_" + p}, new int[] {p}));
        }
        int pubs = profile.soakPublishers();
        Tracker tracker = new Tracker(pubs, pipesN, MESSAGE_SIZE);
        try (BenchClient client = ctx.client(false);
             Publishers publishers = new Publishers(target, pubs);
             QlSession ctl = QlSession.open(target)) {
            client.listener(tracker);
            Opener.Result open = client.open(tabs, 1000, 3, 120_000);
            long readyMs = ctx.waitReady(ctl, tabs, tracker, p -> CometQl.publishSql("bench_soak_" + p, "probe", tracker.probe(p)), 60_000);
            Result r = new Result("soak").param("tabs", n).param("pipes", pipesN).param("cometql_connections", pubs)
                    .param("rate_msg_s", profile.soakRate()).param("seconds", profile.soakMillis() / 1000.0);
            r.fig("open", open.opened()).fig("ready_ms", readyMs);
            long rssStart = ServerProcess.rssKb(target.serverPid());
            ctx.measure(r, client, tabs, tracker, publishers, profile.soakRate(), profile.soakMillis(),
                    (pub, seq) -> (int) ((seq + pub) % pipesN), (t, pl) -> CometQl.publishSql("bench_soak_" + t, "m", pl));
            if (rssStart > 0) {
                r.fig("server_rss_kb_start", rssStart).fig("server_rss_kb_end", ServerProcess.rssKb(target.serverPid()));
            }
            report.add(r);
            client.closeGracefully(tabs, 3000);
        }
    }
}
