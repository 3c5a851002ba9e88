package io.comet.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of {@code comet.ini} keys (cometql.md §7 plus Comet's own): section, key,
 * default, README level, meaning and how the value is applied. {@link LauncherConfig#fromIni}
 * parses with it and {@code ReadmeTableTest} checks the README table against it, so the two
 * cannot drift.
 */
public final class IniKeys {

    /** README grouping (HikariCP style). */
    public enum Level {
        /** Keys nearly every installation sets. */
        ESSENTIAL("Essentials"),
        /** Keys many installations set. */
        FREQUENT("Frequently used"),
        /** Keys for special cases. */
        RARE("Rarely used");

        private final String title;

        Level(String title) {
            this.title = title;
        }

        /** {@return the README heading} */
        public String title() {
            return title;
        }
    }

    /** What Comet does with a key. */
    public enum Kind {
        /** Mapped to an engine, transport, CometQL, store or launcher setting. */
        APPLIED,
        /** Accepted, has no meaning in Comet: a one-time warning at start. */
        IGNORED
    }

    /** Applies one value to the builder being filled. */
    @FunctionalInterface
    interface Applier {
        void apply(LauncherConfig.Builder b, IniFile.Value v, Parse p);
    }

    /**
     * One key. {@code key} {@code "*"} stands for any key of the section (e.g. {@code [content-type] <ext>}).
     */
    public record Key(String section, String key, String defaultValue, Level level, Kind kind, String meaning,
                      Applier applier) {

        /** {@return {@code [section] key} as written in the README} */
        public String label() {
            return "[" + section + "] " + (key.equals("*") ? "<any>" : key);
        }
    }

    /** Comet loggers that the original's {@code [log]} subsystem names map to (several: separated by {@code " "}). */
    static final Map<String, String> LOG_SUBSYSTEMS;
    /** {@code [log]} subsystem names of the original that have no counterpart in Comet. */
    static final List<String> LOG_SUBSYSTEMS_WITHOUT_COUNTERPART = List.of("TagLoger", "ServerServer",
            "SimpleRedisClient", "CometQLCluster", "devManager", "FreeswitchServer");

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Any", "io.comet");
        m.put("appConf", "io.comet.launcher io.comet.server"); // the start lines are CometServer's
        m.put("pipeCommands", "io.comet.transport.commands");
        m.put("statistics", "io.comet.launcher.statistics");
        m.put("removeOldConnections", "io.comet.transport.server");
        m.put("MySqlServer", "io.comet.cometql");
        m.put("UserIndex", "io.comet.core.engine");
        m.put("UserItem", "io.comet.core.engine");
        m.put("ClientServer", "io.comet.transport");
        m.put("tcpServer", "io.netty");
        m.put("dbLink", "io.comet.core.store");
        LOG_SUBSYSTEMS = java.util.Collections.unmodifiableMap(m);
    }

    private static final List<Key> KEYS = new ArrayList<>();

    static {
        // ---------------------------------------------------------------- [main]
        applied("main", "password", "generated once, kept in `<data_dir>/cometql.password`", Level.ESSENTIAL,
                "CometQL password (MySQL port and `POST /cometql`) and JWT secret prefix. The environment variable "
                        + "`COMET_PASSWORD` wins over the file. Without either, a password is generated at first start, "
                        + "logged once and kept in the data directory.",
                (b, v, p) -> b.password(v.text().isEmpty() ? null : v.text()));
        applied("main", "data_dir", "./data", Level.ESSENTIAL,
                "Comet only: directory of the embedded H2 store (`<data_dir>/comet.mv.db`, used when `[db] host` "
                        + "is not set) and of the generated password file.",
                (b, v, p) -> b.dataDir(Path.of(p.nonEmpty(v))));
        applied("main", "node_name", "comet", Level.FREQUENT, "Node label: `/info`, start log line.",
                (b, v, p) -> b.web(w -> w.nodeName(p.nonEmpty(v))));
        applied("main", "shutdown_timeout", "10", Level.FREQUENT,
                "Comet only: seconds a SIGTERM shutdown may take (drain CometQL, flush the store); past it the "
                        + "process logs and exits anyway. Keep systemd's `TimeoutStopSec` above it.",
                (b, v, p) -> b.shutdownTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))));
        applied("main", "send_user_online_events", "true", Level.FREQUENT,
                "Publish `online` into `user_status_<id>` on a user's first connection.",
                (b, v, p) -> b.engine(e -> e.sendUserOnlineEvents(p.bool(v))));
        applied("main", "send_user_offline_events", "true", Level.FREQUENT,
                "Publish `offline` on a user's last disconnect.",
                (b, v, p) -> b.engine(e -> e.sendUserOfflineEvents(p.bool(v))));
        applied("main", "save_users_last_online_time", "true", Level.FREQUENT,
                "Keep last-seen times (`users_time`), durably in the store.",
                (b, v, p) -> b.engine(e -> e.saveUsersLastOnlineTime(p.bool(v))));
        applied("main", "base_dir", "unset (off)", Level.FREQUENT,
                "Serve static files from this directory on the `[ws]` port.",
                (b, v, p) -> b.web(w -> w.baseDir(v.text().isEmpty() ? null : Path.of(v.text()))));
        applied("main", "useQueryLoger", "false", Level.RARE,
                "Log every CometQL query (logger `io.comet.cometql.table.CometQlExecutor` at DEBUG) instead of the "
                        + "original's `log_query` table.",
                (b, v, p) -> {
                    if (p.bool(v)) {
                        b.logLevel("io.comet.cometql.table.CometQlExecutor", "DEBUG");
                    }
                });
        applied("main", "dev_index_size", "100000", Level.RARE, "Number of dev_id namespaces (0 … size−1).",
                (b, v, p) -> b.engine(e -> e.devIndexSize(p.integer(v, 1, Integer.MAX_VALUE))));
        applied("main", "pidfile", "unset (none)", Level.RARE,
                "Write the process id to this file at start; deleted at a clean stop.",
                (b, v, p) -> b.pidFile(v.text().isEmpty() ? null : Path.of(v.text())));
        applied("main", "jvm_memory_tuning", "true", Level.RARE,
                "Comet only: at start, set the JVM's free-heap ratios and G1's periodic collection from the three "
                        + "keys below, so that an idle server returns the heap it no longer needs to the OS (see "
                        + "\"Memory\"). A flag given to `java` (`-XX:MaxHeapFreeRatio=…`, also in `JAVA_TOOL_OPTIONS`) "
                        + "wins over its key. `false` leaves all three to the JVM.",
                (b, v, p) -> b.jvmMemoryTuning(p.bool(v)));
        applied("main", "heap_free_min_percent", "10", Level.RARE,
                "Comet only: `MinHeapFreeRatio` set at start (JVM default 40): the heap is grown when less than this "
                        + "percentage of it would be free. 0..100, at most `heap_free_max_percent`.",
                (b, v, p) -> b.heapFreeMinPercent(p.integer(v, 0, 100)));
        applied("main", "heap_free_max_percent", "20", Level.RARE,
                "Comet only: `MaxHeapFreeRatio` set at start (JVM default 70): after a full or concurrent collection, "
                        + "free heap above this percentage is returned to the OS. 0..100.",
                (b, v, p) -> b.heapFreeMaxPercent(p.integer(v, 0, 100)));
        applied("main", "idle_gc_seconds", "60", Level.RARE,
                "Comet only, G1 only: sets `G1PeriodicGCInterval` (milliseconds: this × 1000) at start: after this "
                        + "many seconds without any collection G1 runs a concurrent cycle, which gives back heap left "
                        + "over from a load peak; 0 = off (the JVM's default).",
                (b, v, p) -> b.idleGcSeconds(p.integer(v, 0, 86_400)));
        ignored("main", "buf_size", "103840", "Per-thread buffer of the original; Comet's message limit is `maxMessageBytes` (9000).");
        ignored("main", "answer_buf_size", "1000000", "CometQL answer buffer of the original; Comet streams answers.");
        ignored("main", "fragment_buf_size", "600", "Partial-packet buffer of the original.");
        ignored("main", "fragment_buf_max_size", "103840", "Partial-packet buffer limit of the original.");
        ignored("main", "api_version", "1", "Unused in the original.");
        ignored("main", "isTest", "false", "Unused in the original.");

        // ---------------------------------------------------------------- [db]
        applied("db", "host", "unset (embedded H2)", Level.ESSENTIAL,
                "MySQL/MariaDB server for the store; when set, `user` and `name` are required too. Unset: embedded "
                        + "H2 under `[main] data_dir`.",
                (b, v, p) -> b.dbHost(p.nonEmpty(v)));
        applied("db", "port", "3306", Level.ESSENTIAL, "MySQL/MariaDB port.",
                (b, v, p) -> b.dbPort(p.integer(v, 1, 65_535)));
        applied("db", "name", "—", Level.ESSENTIAL, "Database name (required with `host`).",
                (b, v, p) -> b.dbName(p.nonEmpty(v)));
        applied("db", "user", "—", Level.ESSENTIAL, "Database user (required with `host`).",
                (b, v, p) -> b.dbUser(p.nonEmpty(v)));
        applied("db", "password", "empty", Level.ESSENTIAL,
                "Database password. The environment variable `COMET_DB_PASSWORD` wins over the file.",
                (b, v, p) -> b.dbPassword(v.text()));
        applied("db", "url", "unset", Level.RARE,
                "Comet only: a full JDBC URL for the store (`jdbc:mysql:`, `jdbc:mariadb:`, `jdbc:h2:`) instead of "
                        + "`host`/`port`/`name`; `user` and `password` still apply.",
                (b, v, p) -> {
                    try {
                        io.comet.core.store.jdbc.JdbcStoreConfig.builder().jdbcUrl(p.nonEmpty(v)).build();
                    } catch (IllegalArgumentException e) {
                        throw p.bad(e.getMessage());
                    }
                    b.dbUrl(v.text());
                });
        applied("db", "connection_attempts", "10", Level.RARE,
                "Connection attempts at start, 5 s apart, before the start fails.",
                (b, v, p) -> b.dbConnectionAttempts(p.integer(v, 1, 1000)));
        applied("db", "operation_timeout", "10", Level.RARE,
                "Comet only: seconds one store operation may take (queueing and reconnecting included); past it "
                        + "the CometQL write fails with ERR 500 and the server keeps running.",
                (b, v, p) -> b.store(s -> s.operationTimeout(Duration.ofSeconds(p.integer(v, 1, 3600)))));
        applied("db", "query_timeout", "5", Level.RARE,
                "Comet only: seconds of one SQL statement (JDBC query and socket timeout).",
                (b, v, p) -> b.store(s -> s.queryTimeout(Duration.ofSeconds(p.integer(v, 1, 3600)))));
        ignored("db", "buf_size", "103840", "Statement buffer of the original.");

        // ---------------------------------------------------------------- [ws]
        applied("ws", "port", "8087", Level.ESSENTIAL, "Browser listener port (HTTP, WebSocket, long-poll); 0 = any free port.",
                (b, v, p) -> b.web(w -> w.port(p.integer(v, 0, 65_535))));
        applied("ws", "ip", "0.0.0.0", Level.ESSENTIAL, "Browser listener address.",
                (b, v, p) -> b.web(w -> w.ip(p.nonEmpty(v))));
        applied("ws", "host", "* (no check)", Level.FREQUENT,
                "Comma-separated allowed `Origin` hosts (exact host, optional port); `*` = no check.",
                (b, v, p) -> b.web(w -> w.hosts(Arrays.asList(v.text().split(",")))));
        applied("ws", "thread_num", "0 (one per core)", Level.FREQUENT, "Event-loop threads of the browser listener.",
                (b, v, p) -> b.webThreads(p.integer(v, 0, 1024)));
        applied("ws", "maxUptime", "0 (never)", Level.RARE,
                "Close connections older than this many seconds, abruptly so clients reconnect.",
                (b, v, p) -> b.web(w -> w.maxUptimeSeconds(p.integer(v, 0, Integer.MAX_VALUE))));
        applied("ws", "uptimeTestInterval", "600", Level.RARE, "Seconds between `maxUptime` checks.",
                (b, v, p) -> b.web(w -> w.uptimeCheckInterval(Duration.ofSeconds(p.integer(v, 1, Integer.MAX_VALUE)))));
        applied("ws", "statistics", "0 (off)", Level.RARE,
                "Seconds between load measurements (connections, messages); logged when `[statistics] to_log` is true.",
                (b, v, p) -> b.statisticsInterval(p.integer(v, 0, 86_400)));
        applied("ws", "benchmark", "0 (off)", Level.RARE, "Legacy alias of `[ws] statistics`.",
                (b, v, p) -> b.statisticsInterval(p.integer(v, 0, 86_400)));
        applied("ws", "backlog", "65535", Level.RARE, "Listen backlog of the browser listener (Linux caps it at net.core.somaxconn).",
                (b, v, p) -> b.web(w -> w.backlog(p.integer(v, 1, 1 << 20))));
        applied("ws", "max_connections", "0 (no limit)", Level.RARE,
                "Comet only: open connections of the browser listener beyond which new ones get `503` and are closed (counted).",
                (b, v, p) -> b.web(w -> w.limits(l -> l.maxConnections(p.integer(v, 0, Integer.MAX_VALUE)))));
        applied("ws", "max_connections_per_ip", "10000", Level.RARE,
                "Comet only: the same per client IP address (0 = no limit); keep it below the open-file limit.",
                (b, v, p) -> b.web(w -> w.limits(l -> l.maxConnectionsPerAddress(p.integer(v, 0, Integer.MAX_VALUE)))));
        applied("ws", "request_timeout", "10", Level.RARE,
                "Comet only: seconds a whole HTTP request (head and body, also trickled) may take; then the connection is closed.",
                (b, v, p) -> b.web(w -> w.limits(l -> l.requestTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        applied("ws", "frame_timeout", "30", Level.RARE,
                "Comet only: seconds an incomplete WebSocket frame or fragmented message may take; then the connection is closed.",
                (b, v, p) -> b.web(w -> w.limits(l -> l.frameTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        applied("ws", "slow_consumer_timeout", "10", Level.RARE,
                "Comet only: seconds a WebSocket whose socket takes none of its pending bytes stays open (a tenth of it when "
                        + "the delivery budget is exhausted); see comet-transport-netty README, \"Slow consumers\".",
                (b, v, p) -> b.web(w -> w.slowConsumerTimeout(Duration.ofSeconds(p.integer(v, 1, 3600)))));
        ignored("ws", "epoll_size", "10000", "epoll tuning of the original (Netty sizes its own).");
        ignored("ws", "cluster", "empty", "Node-to-node forwarding of the original; Comet clusters through a Broker instead.");

        // ---------------------------------------------------------------- [cometql]
        applied("cometql", "port", "3300", Level.ESSENTIAL, "CometQL (MySQL protocol) port; 0 = any free port.",
                (b, v, p) -> b.cometql(q -> q.port(p.integer(v, 0, 65_535))));
        applied("cometql", "ip", "0.0.0.0", Level.ESSENTIAL, "CometQL listener address.",
                (b, v, p) -> b.cometql(q -> q.ip(p.nonEmpty(v))));
        applied("cometql", "thread_num", "0 (= 2)", Level.RARE, "Event-loop threads of the CometQL listener.",
                (b, v, p) -> b.cometql(q -> q.ioThreads(p.integer(v, 0, 1024))));
        ignored("cometql", "statistics", "0", "Load measurements are taken for the whole server (`[ws] statistics`).");
        applied("cometql", "maxUptime", "0 (never)", Level.RARE,
                "Close backend connections older than this many seconds, each right after the answer of its command in flight.",
                (b, v, p) -> b.cometql(q -> q.maxUptimeSeconds(p.integer(v, 0, Integer.MAX_VALUE))));
        applied("cometql", "uptimeTestInterval", "600", Level.RARE, "Seconds between `[cometql] maxUptime` checks.",
                (b, v, p) -> b.cometql(q -> q.uptimeCheckInterval(Duration.ofSeconds(p.integer(v, 1, Integer.MAX_VALUE)))));
        applied("cometql", "backlog", "1024", Level.RARE, "Listen backlog of the CometQL listener.",
                (b, v, p) -> b.cometql(q -> q.backlog(p.integer(v, 1, 1 << 20))));
        applied("cometql", "max_connections", "10000", Level.RARE,
                "Comet only: open CometQL connections beyond which new ones get ERR 1040 and are closed (counted in `SHOW GLOBAL STATUS`).",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxConnections(p.integer(v, 0, Integer.MAX_VALUE)))));
        applied("cometql", "max_connections_per_ip", "1000", Level.RARE, "Comet only: the same per client IP address.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxConnectionsPerAddress(p.integer(v, 0, Integer.MAX_VALUE)))));
        applied("cometql", "max_unauthenticated", "256", Level.RARE,
                "Comet only: CometQL connections not yet logged in, in all (0 = no limit).",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxUnauthenticated(p.integer(v, 0, Integer.MAX_VALUE)))));
        applied("cometql", "max_unauthenticated_per_ip", "32", Level.RARE,
                "Comet only: CometQL connections not yet logged in, per client IP address.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.maxUnauthenticatedPerAddress(p.integer(v, 0, Integer.MAX_VALUE)))));
        applied("cometql", "handshake_timeout", "10", Level.RARE,
                "Comet only: seconds from connect to the end of the login; then the connection is closed.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.handshakeTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        applied("cometql", "packet_timeout", "30", Level.RARE,
                "Comet only: seconds a started CometQL packet may take to arrive completely; then the connection is closed.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.packetTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))))));
        applied("cometql", "logins_per_second", "10", Level.RARE,
                "Comet only: password checks per second per source address, MySQL port and `POST /cometql` together (after a "
                        + "burst of as many); a successful login does not count.",
                (b, v, p) -> b.cometql(q -> q.limits(l -> l.loginsPerSecond(p.integer(v, 1, 100_000)))));
        ignored("cometql", "epoll_size", "10000", "epoll tuning of the original.");

        // ---------------------------------------------------------------- [cometqlproxy]
        ignored("cometqlproxy", "*", "off",
                "The original's cluster proxy (`ip`, `port`, `thread_num`, `cluster`, …): every CometQL port of a Comet cluster is equivalent.");

        // ---------------------------------------------------------------- [statistics] / [benchmark]
        applied("statistics", "to_log", "false", Level.RARE,
                "Log the load measurements taken every `[ws] statistics` seconds (logger `io.comet.launcher.statistics`).",
                (b, v, p) -> b.statisticsToLog(p.bool(v)));
        ignored("statistics", "allow", "true", "Phone-home usage report of the original: never implemented.");
        ignored("statistics", "interval", "3600", "Phone-home report period: never implemented.");
        ignored("statistics", "host", "—", "Phone-home report field: never implemented.");
        ignored("statistics", "email", "—", "Phone-home report field: never implemented.");
        ignored("statistics", "profiler", "—", "Internal profiler switch of the original.");
        applied("benchmark", "to_log", "false", Level.RARE, "Legacy alias of `[statistics] to_log`.",
                (b, v, p) -> b.statisticsToLog(p.bool(v)));

        // ---------------------------------------------------------------- [content-type]
        applied("content-type", "*", "common web types", Level.RARE,
                "`<ext> = <mime/type>`: MIME type of static files with that extension (`[main] base_dir`).",
                (b, v, p) -> b.web(w -> w.contentType(p.key(), p.nonEmpty(v))));

        // ---------------------------------------------------------------- [log]
        applied("log", "level", "400", Level.FREQUENT,
                "0 off, 100 critical, 200 errors, 300 warnings, 400 info, 500 debug (or a Logback level name) for "
                        + "all `io.comet.*` loggers. Comet's default is 400 (the original's 200 would hide the start lines).",
                (b, v, p) -> b.logLevel("io.comet", p.logLevel(v)));
        applied("log", "*", "—", Level.RARE,
                "Per-subsystem levels (same values): the original's names map to Comet loggers (" + subsystemList()
                        + "); " + String.join(", ", LOG_SUBSYSTEMS_WITHOUT_COUNTERPART) + " have no counterpart "
                        + "(warning); a Comet logger name (`io.comet.…`, `io.netty…`) is taken as is.",
                (b, v, p) -> {
                    String logger = LOG_SUBSYSTEMS.get(p.key());
                    if (logger == null && (p.key().startsWith("io.comet") || p.key().startsWith("io.netty"))) {
                        logger = p.key();
                    }
                    if (logger == null) {
                        p.warn(LOG_SUBSYSTEMS_WITHOUT_COUNTERPART.contains(p.key())
                                ? "has no counterpart in Comet, ignored" : "is not a known subsystem, ignored");
                        return;
                    }
                    for (String l : logger.split(" ")) {
                        b.logLevel(l, p.logLevel(v));
                    }
                });

        // ---------------------------------------------------------------- [sip] / [freeswitch]
        ignored("sip", "*", "—", "Video calls of the original: not part of Comet.");
        ignored("freeswitch", "*", "—", "Video calls through FreeSWITCH: not part of Comet.");
    }

    private IniKeys() {
    }

    private static String subsystemList() {
        StringBuilder sb = new StringBuilder();
        LOG_SUBSYSTEMS.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" → `")
                .append(v.replace(" ", "`, `")).append('`'));
        return sb.toString();
    }

    private static void applied(String section, String key, String dflt, Level level, String meaning, Applier a) {
        KEYS.add(new Key(section, key, dflt, level, Kind.APPLIED, meaning, a));
    }

    private static void ignored(String section, String key, String dflt, String meaning) {
        KEYS.add(new Key(section, key, dflt, Level.RARE, Kind.IGNORED, meaning, (b, v, p) -> p.warn(
                "is accepted but has no meaning in Comet, ignored (" + meaning + ")")));
    }

    /** {@return every key, in README order within each section} */
    public static List<Key> all() {
        return List.copyOf(KEYS);
    }

    /**
     * The key definition for {@code [section] key}: exact match first, then the section's {@code *} entry.
     *
     * @param section the section
     * @param key the key
     * @return the key definition for {@code [section] key}
     */
    public static Optional<Key> find(String section, String key) {
        Key any = null;
        for (Key k : KEYS) {
            if (k.section().equals(section)) {
                if (k.key().equals(key)) {
                    return Optional.of(k);
                }
                if (k.key().equals("*")) {
                    any = k;
                }
            }
        }
        return Optional.ofNullable(any);
    }

    /** {@return the README table (Markdown), grouped by level} */
    public static String readmeTable() {
        StringBuilder sb = new StringBuilder();
        for (Level level : Level.values()) {
            sb.append("### ").append(level.title()).append("\n\n");
            sb.append("| key | default | applied | meaning |\n|---|---|---|---|\n");
            for (Key k : KEYS) {
                if (k.level() == level) {
                    sb.append("| `").append(k.label()).append("` | ").append(k.defaultValue()).append(" | ")
                            .append(k.kind() == Kind.APPLIED ? "yes" : "ignored, warns").append(" | ")
                            .append(k.meaning()).append(" |\n");
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Value parsing for one key: every failure names the file, line and key. */
    static final class Parse {
        private final String source;
        private final String section;
        private final String key;
        private final int line;
        private final List<String> warnings;

        Parse(String source, String section, String key, int line, List<String> warnings) {
            this.source = source;
            this.section = section;
            this.key = key;
            this.line = line;
            this.warnings = warnings;
        }

        String key() {
            return key;
        }

        ConfigException bad(String reason) {
            return new ConfigException(source, line, key + ": " + reason);
        }

        void warn(String what) {
            warnings.add(source + ":" + line + ": [" + section + "] " + key + " " + what);
        }

        boolean bool(IniFile.Value v) {
            String t = v.text();
            if (t.equals("true") || t.equals("True") || t.equals("TRUE")) {
                return true;
            }
            if (t.equals("false") || t.equals("False") || t.equals("FALSE")) {
                return false;
            }
            throw bad("'" + t + "' is not a boolean (expected: true or false)");
        }

        int integer(IniFile.Value v, int min, int max) {
            long n;
            try {
                n = Long.parseLong(v.text());
            } catch (NumberFormatException e) {
                throw bad("'" + v.text() + "' is not a number");
            }
            if (n < min || n > max) {
                throw bad("'" + v.text() + "' out of range (expected: " + min + ".." + max + ")");
            }
            return (int) n;
        }

        String nonEmpty(IniFile.Value v) {
            if (v.text().isEmpty()) {
                throw bad("must not be empty");
            }
            return v.text();
        }

        /** {@code 0/100/200/300/400/500} or a Logback level name → a Logback level name. */
        String logLevel(IniFile.Value v) {
            String t = v.text();
            switch (t) {
                case "0":
                    return "OFF";
                case "100":
                case "200":
                    return "ERROR";
                case "300":
                    return "WARN";
                case "400":
                    return "INFO";
                case "500":
                    return "DEBUG";
                default:
                    break;
            }
            String u = t.toUpperCase(Locale.ROOT);
            if (List.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(u)) {
                return u;
            }
            throw bad("'" + t + "' is not a log level (expected: 0, 100, 200, 300, 400, 500 or OFF/ERROR/WARN/INFO/DEBUG/TRACE)");
        }
    }
}
