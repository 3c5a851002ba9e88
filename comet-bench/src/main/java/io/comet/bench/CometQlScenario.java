package io.comet.bench;

import static io.comet.bench.ScenarioContext.MESSAGE_SIZE;

/**
 * Scenario (e), CometQL throughput: {@code INSERT INTO pipes_messages} from ever more connections
 * to a pipe nobody listens to.
 */
final class CometQlScenario {
    private final ScenarioContext ctx;
    private final Target target;
    private final Profile profile;
    private final Report report;

    CometQlScenario(ScenarioContext ctx) {
        this.ctx = ctx;
        this.target = ctx.target;
        this.profile = ctx.profile;
        this.report = ctx.report;
    }

    // ---------------------------------------------------------------- (e) CometQL throughput

    void run() throws Exception {
        for (int c : profile.cqlConnections()) {
            try (Publishers publishers = new Publishers(target, c)) {
                CpuMeter cpu = CpuMeter.start(target.serverPid());
                Publishers.Run run = publishers.run(0, profile.cqlMillis(), 0, (pub, seq) -> 0,
                        (t, p) -> CometQl.publishSql("bench_cql_nobody", "m", pad(p)), null);
                Result r = new Result("cometql").param("connections", c).param("statement", "INSERT INTO pipes_messages")
                        .param("subscribers", 0).param("seconds", profile.cqlMillis() / 1000.0);
                r.fig("inserts", run.sent()).fig("inserts_s", Math.round(run.rate()))
                        .fig("insert_p50_ms", ScenarioContext.ms(run.insertMicros().getValueAtPercentile(50)))
                        .fig("insert_p99_ms", ScenarioContext.ms(run.insertMicros().getValueAtPercentile(99)))
                        .fig("insert_p999_ms", ScenarioContext.ms(run.insertMicros().getValueAtPercentile(99.9)))
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
}
