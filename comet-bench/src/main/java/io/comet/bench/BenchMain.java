package io.comet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command line of the benchmark.
 *
 * <pre>
 * java -jar comet-bench/target/comet-bench.jar --profile quick|full|smoke [--scenario a,b]
 *      [--start-server comet-launcher/target/comet-server.jar [--server-jvm-opts "..."]]
 *      [--host 127.0.0.1 --ws-port 8087 --cometql-port 3300 --password P --dev-id 0 --server-pid PID]
 *      [--soak-minutes 10] [--results-dir comet-bench/results] [--no-statistics] [--source-addrs 4]
 * </pre>
 */
public final class BenchMain {
    private static final Set<String> FLAGS = Set.of("--no-statistics", "--child-idle", "--help", "--no-write");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        if (o.containsKey("--help")) {
            System.out.println(usage());
            return;
        }
        if (o.containsKey("--child-idle")) {
            IdleChild.run(target(o, -1), Integer.parseInt(o.getOrDefault("--source-base", "2")),
                    Integer.parseInt(o.getOrDefault("--source-addrs", "4")), !o.containsKey("--no-statistics"),
                    Integer.parseInt(o.getOrDefault("--id-base", "1000000")));
            return;
        }
        Report report = run(args);
        System.exit(report.allOk() ? 0 : 1);
    }

    /** Runs the selected scenarios and writes the report; used by {@link #main} and the CI smoke. */
    public static Report run(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        Profile profile = Profile.of(o.getOrDefault("--profile", "quick"));
        if (o.containsKey("--soak-minutes")) {
            profile = profile.withSoakMillis((long) (Double.parseDouble(o.get("--soak-minutes")) * 60_000));
        }
        List<String> scenarios = o.containsKey("--scenario")
                ? Arrays.asList(o.get("--scenario").split(","))
                : Arrays.asList(Scenarios.ALL);
        Report report = new Report(profile.name());
        ServerProcess server = null;
        Target target;
        try {
            if (o.containsKey("--start-server")) {
                String password = o.getOrDefault("--password", "bench" + Long.toHexString(System.nanoTime()));
                String opts = o.getOrDefault("--server-jvm-opts", "");
                server = ServerProcess.start(Path.of(o.get("--start-server")), opts, password,
                        Integer.parseInt(o.getOrDefault("--dev-id", "0")), 90_000);
                target = server.target.withRawQl("raw".equals(o.get("--cometql-client")));
                report.server.put("jar", o.get("--start-server"));
                Path jar = Path.of(o.get("--start-server"));
                report.server.put("jar_built", Files.getLastModifiedTime(jar).toString() + ", " + Files.size(jar) + " bytes");
                report.server.put("jvm_opts", opts.isBlank() ? "(none)" : opts);
                report.server.put("started_by_bench", true);
                System.out.println("[bench] started server pid " + target.serverPid() + " ws " + target.wsPort()
                        + " cometql " + target.cqlPort() + " (log " + server.log + ")");
            } else {
                target = target(o, Long.parseLong(o.getOrDefault("--server-pid", "-1")));
                report.server.put("started_by_bench", false);
            }
            report.server.put("address", target.host() + " ws:" + target.wsPort() + " cometql:" + target.cqlPort());
            report.server.put("pid", target.serverPid());
            if (target.rawQl()) {
                try (QlSession q = QlSession.open(target)) {
                    report.server.put("cometql_client", "raw MySQL protocol");
                }
            } else {
                try (Connection c = CometQl.connect(target)) {
                    report.server.put("cometql_client", "JDBC " + c.getMetaData().getDriverVersion());
                    report.server.put("reports", c.getMetaData().getDatabaseProductVersion());
                }
            }
            report.machine.put("client_transport", io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
            boolean statistics = !o.containsKey("--no-statistics");
            int sourceAddrs = Integer.parseInt(o.getOrDefault("--source-addrs", "4"));
            Scenarios s = new Scenarios(target, profile, report, statistics, sourceAddrs);
            if (server != null) {
                s.serverLog(server.log);
            }
            if (o.containsKey("--jfr")) {
                s.jfrDir = Path.of(o.get("--jfr"));
            }
            for (String name : scenarios) {
                s.run(name.trim());
                if (server != null && !server.process.isAlive()) {
                    report.add(new Result("server").fail("server process died: " + server.logTail(30)));
                    break;
                }
            }
        } finally {
            if (server != null) {
                server.close();
                report.server.put("log", server.log.toString());
            }
        }
        if (!o.containsKey("--no-write")) {
            Path dir = Path.of(o.getOrDefault("--results-dir",
                    Files.isDirectory(Path.of("comet-bench")) ? "comet-bench/results" : "results"));
            Path md = report.write(dir);
            System.out.println();
            System.out.println(report.markdown());
            System.out.println("[bench] written " + md.toAbsolutePath() + " (+ .json, latest-" + profile.name() + ".md)");
        }
        return report;
    }

    private static Target target(Map<String, String> o, long pid) {
        return new Target(o.getOrDefault("--host", "127.0.0.1"),
                Integer.parseInt(o.getOrDefault("--ws-port", "8087")),
                Integer.parseInt(o.getOrDefault("--cometql-port", "3300")),
                o.getOrDefault("--password", "password"),
                Integer.parseInt(o.getOrDefault("--dev-id", "0")), pid, "raw".equals(o.get("--cometql-client")));
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a + "\n" + usage());
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                o.put(a.substring(0, eq), a.substring(eq + 1));
            } else if (FLAGS.contains(a)) {
                o.put(a, "true");
            } else if (i + 1 < rest.size()) {
                o.put(a, rest.get(++i));
            } else {
                throw new IllegalArgumentException("missing value for " + a + "\n" + usage());
            }
        }
        return o;
    }

    static String usage() {
        return String.join("\n",
                "usage: java -jar comet-bench.jar [options]",
                "  --profile smoke|quick|full     sizes and durations (default quick)",
                "  --scenario a,b                 subset of: " + String.join(",", Scenarios.ALL),
                "  --start-server JAR             start this server jar on free loopback ports",
                "  --server-jvm-opts \"...\"        JVM options for the started server",
                "  --host H --ws-port P --cometql-port P --password P --dev-id N",
                "                                 target an already running server (any CppComet-compatible one)",
                "  --server-pid PID               that server's pid, for RSS and heap readings",
                "  --soak-minutes M               soak duration (quick 0.25, full 1 by default)",
                "  --results-dir DIR              default comet-bench/results (or ./results)",
                "  --no-statistics                do not send the client's statistics command",
                "  --source-addrs N               loopback source addresses per client process (default 4)",
                "  --cometql-client jdbc|raw      publish with Connector/J (default) or the bench's minimal",
                "                                 MySQL client (needed for the original CppComet 4.09)",
                "  --jfr DIR                      record each scenario on the server with JFR (needs the pid)");
    }
}
