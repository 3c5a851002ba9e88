package io.comet.bench;

/**
 * The benchmark scenarios of issue [6], run by name; one class per family ({@link IdleScenario},
 * {@link DeliveryScenarios}, {@link CometQlScenario}, {@link ConnectScenario}, {@link SlowScenario}, {@link FuzzScenario})
 * on a shared {@link ScenarioContext}. Every scenario opens its own tabs, measures, checks
 * correctness (what was published arrived, in order, once) and closes its tabs, so the server is
 * back to empty between scenarios. Timing never fails a scenario; loss, reordering and errors do.
 */
final class Scenarios {
    static final String[] ALL = {"idle", "fanout", "manypipes", "private", "cometql", "connect", "slow", "soak", "fuzz"};

    private final ScenarioContext ctx;
    private final Target target;
    private final Report report;

    Scenarios(Target target, Profile profile, Report report, boolean statistics, int sourceAddrs) {
        ctx = new ScenarioContext(target, profile, report, statistics, sourceAddrs);
        this.target = target;
        this.report = report;
    }

    /** The log of the server the bench started (null: not started by the bench). */
    void serverLog(java.nio.file.Path log) {
        ctx.serverLog = log;
    }

    /** Records every scenario with JFR on the server into this directory (null = off). */
    java.nio.file.Path jfrDir;

    void run(String name) throws Exception {
        ctx.newScenario();
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
                case "idle" -> new IdleScenario(ctx).run();
                case "fanout" -> new DeliveryScenarios(ctx).fanout();
                case "manypipes" -> new DeliveryScenarios(ctx).manyPipes();
                case "private" -> new DeliveryScenarios(ctx).privateMessages();
                case "cometql" -> new CometQlScenario(ctx).run();
                case "connect" -> new ConnectScenario(ctx).run();
                case "slow" -> new SlowScenario(ctx).run();
                case "soak" -> new DeliveryScenarios(ctx).soak();
                case "fuzz" -> new FuzzScenario(ctx).run();
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
}
