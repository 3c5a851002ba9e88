package io.comet.launcher;

import io.comet.launcher.IniKeys.Level;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code [main]} keys of comet.ini, in README order. */
final class MainKeys {

    private MainKeys() {
    }

    static void register(IniKeyList keys) {
        keys.applied("main", "password", "generated once, kept in `<data_dir>/cometql.password`", Level.ESSENTIAL,
                "CometQL password (MySQL port and `POST /cometql`) and JWT secret prefix. The environment variable "
                        + "`COMET_PASSWORD` wins over the file. Without either, a password is generated at first start, "
                        + "logged once and kept in the data directory.",
                (b, v, p) -> b.password(v.text().isEmpty() ? null : v.text()));
        keys.applied("main", "data_dir", "./data", Level.ESSENTIAL,
                "Comet only: directory of the embedded H2 store (`<data_dir>/comet.mv.db`, used when `[db] host` "
                        + "is not set) and of the generated password file.",
                (b, v, p) -> b.dataDir(Path.of(p.nonEmpty(v))));
        keys.applied("main", "node_name", "comet", Level.FREQUENT, "Node label: `/info`, start log line; with `[redis]` the node's name in Redis (a random suffix makes each process unique).",
                (b, v, p) -> b.web(w -> w.nodeName(p.nonEmpty(v))));
        keys.applied("main", "shutdown_timeout", "10", Level.FREQUENT,
                "Comet only: seconds a SIGTERM shutdown may take (drain CometQL, flush the store); past it the "
                        + "process logs and exits anyway. Keep systemd's `TimeoutStopSec` above it.",
                (b, v, p) -> b.shutdownTimeout(Duration.ofSeconds(p.integer(v, 1, 3600))));
        keys.applied("main", "drain_delay", "0", Level.RARE,
                "Comet only: seconds a SIGTERM keeps serving after `GET /ready` turned 503, so load balancers stop sending "
                        + "new tabs before the listeners close (part of `shutdown_timeout`, must be shorter).",
                (b, v, p) -> b.drainDelay(Duration.ofSeconds(p.integer(v, 0, 3600))));
        keys.applied("main", "metrics", "password", Level.FREQUENT,
                "Comet only: `GET /metrics` on the browser port (Prometheus text): `password` = the CometQL password "
                        + "(Basic `root:<password>` or Bearer), `open` = no credentials, `off` = no route.",
                (b, v, p) -> b.metrics(switch (v.text()) {
                    case "password" -> io.comet.server.MetricsAccess.PASSWORD;
                    case "open" -> io.comet.server.MetricsAccess.OPEN;
                    case "off" -> io.comet.server.MetricsAccess.OFF;
                    default -> throw p.bad("'" + v.text() + "' is not one of password, open, off");
                }));
        keys.applied("main", "send_user_online_events", "true", Level.FREQUENT,
                "Publish `online` into `user_status_<id>` on a user's first connection.",
                (b, v, p) -> b.engine(e -> e.sendUserOnlineEvents(p.bool(v))));
        keys.applied("main", "send_user_offline_events", "true", Level.FREQUENT,
                "Publish `offline` on a user's last disconnect.",
                (b, v, p) -> b.engine(e -> e.sendUserOfflineEvents(p.bool(v))));
        keys.applied("main", "save_users_last_online_time", "true", Level.FREQUENT,
                "Keep last-seen times (`users_time`), durably in the store.",
                (b, v, p) -> b.engine(e -> e.saveUsersLastOnlineTime(p.bool(v))));
        keys.applied("main", "base_dir", "unset (off)", Level.FREQUENT,
                "Serve static files from this directory on the `[ws]` port.",
                (b, v, p) -> b.web(w -> w.baseDir(v.text().isEmpty() ? null : Path.of(v.text()))));
        keys.applied("main", "useQueryLoger", "false", Level.RARE,
                "Log every CometQL query (logger `io.comet.cometql.table.CometQlExecutor` at DEBUG) instead of the "
                        + "original's `log_query` table.",
                (b, v, p) -> {
                    if (p.bool(v)) {
                        b.logLevel("io.comet.cometql.table.CometQlExecutor", "DEBUG");
                    }
                });
        keys.applied("main", "dev_index_size", "100000", Level.RARE, "Number of dev_id namespaces (0 … size−1).",
                (b, v, p) -> b.engine(e -> e.devIndexSize(p.integer(v, 1, Integer.MAX_VALUE))));
        keys.applied("main", "pidfile", "unset (none)", Level.RARE,
                "Write the process id to this file at start; deleted at a clean stop.",
                (b, v, p) -> b.pidFile(v.text().isEmpty() ? null : Path.of(v.text())));
        keys.applied("main", "jvm_memory_tuning", "true", Level.RARE,
                "Comet only: at start, set the JVM's free-heap ratios and G1's periodic collection from the three "
                        + "keys below, so that an idle server returns the heap it no longer needs to the OS (see "
                        + "\"Memory\"). A flag given to `java` (`-XX:MaxHeapFreeRatio=…`, also in `JAVA_TOOL_OPTIONS`) "
                        + "wins over its key. `false` leaves all three to the JVM.",
                (b, v, p) -> b.jvmMemoryTuning(p.bool(v)));
        keys.applied("main", "heap_free_min_percent", "10", Level.RARE,
                "Comet only: `MinHeapFreeRatio` set at start (JVM default 40): the heap is grown when less than this "
                        + "percentage of it would be free. 0..100, at most `heap_free_max_percent`.",
                (b, v, p) -> b.heapFreeMinPercent(p.integer(v, 0, 100)));
        keys.applied("main", "heap_free_max_percent", "20", Level.RARE,
                "Comet only: `MaxHeapFreeRatio` set at start (JVM default 70): after a full or concurrent collection, "
                        + "free heap above this percentage is returned to the OS. 0..100.",
                (b, v, p) -> b.heapFreeMaxPercent(p.integer(v, 0, 100)));
        keys.applied("main", "idle_gc_seconds", "60", Level.RARE,
                "Comet only, G1 only: sets `G1PeriodicGCInterval` (milliseconds: this × 1000) at start: after this "
                        + "many seconds without any collection G1 runs a concurrent cycle, which gives back heap left "
                        + "over from a load peak; 0 = off (the JVM's default).",
                (b, v, p) -> b.idleGcSeconds(p.integer(v, 0, 86_400)));
        keys.ignored("main", "buf_size", "103840", "Per-thread buffer of the original; Comet's message limit is `maxMessageBytes` (9000).");
        keys.ignored("main", "answer_buf_size", "1000000", "CometQL answer buffer of the original; Comet streams answers.");
        keys.ignored("main", "fragment_buf_size", "600", "Partial-packet buffer of the original.");
        keys.ignored("main", "fragment_buf_max_size", "103840", "Partial-packet buffer limit of the original.");
        keys.ignored("main", "api_version", "1", "Unused in the original.");
        keys.ignored("main", "isTest", "false", "Unused in the original.");
    }
}
