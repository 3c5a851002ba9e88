package io.comet.launcher;

import io.comet.cometql.CometQlConfig;
import io.comet.core.CometConfig;
import io.comet.core.store.jdbc.JdbcStoreConfig;
import io.comet.transport.WebConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything the launcher wires, from {@code comet.ini} ({@link #fromIni}, keys in {@link IniKeys})
 * or from the {@link #builder()} for embedding; {@link #defaults()} runs with no file at all.
 * Immutable.
 *
 * <pre>{@code
 * LauncherConfig cfg = LauncherConfig.builder()
 *         .password("secret")
 *         .web(w -> w.port(8087))
 *         .cometql(q -> q.port(3300))
 *         .dataDir(Path.of("/var/lib/comet"))
 *         .build();
 * try (CometServerLauncher comet = CometServerLauncher.start(cfg)) { ... }
 * }</pre>
 */
public final class LauncherConfig {

    /** Default {@code [cometql] ip}: all interfaces. */
    public static final String DEFAULT_COMETQL_IP = CometQlConfig.DEFAULT_IP;
    /** Default {@code [cometql] port}. */
    public static final int DEFAULT_COMETQL_PORT = CometQlConfig.DEFAULT_PORT;
    /** Default data directory: the embedded H2 store and the generated password live here. */
    public static final Path DEFAULT_DATA_DIR = Path.of("data");
    /** Default deadline of a SIGTERM shutdown. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /** Default MySQL/MariaDB port of {@code [db]}. */
    public static final int DEFAULT_DB_PORT = 3306;
    /** Default {@code [db] connection_attempts} (the original's 10). */
    public static final int DEFAULT_DB_CONNECTION_ATTEMPTS = 10;
    /** Default {@code [main] heap_free_min_percent}: MinHeapFreeRatio set at start (the JVM's default is 40). */
    public static final int DEFAULT_HEAP_FREE_MIN_PERCENT = 10;
    /** Default {@code [main] heap_free_max_percent}: MaxHeapFreeRatio set at start (the JVM's default is 70). */
    public static final int DEFAULT_HEAP_FREE_MAX_PERCENT = 20;
    /** Default {@code [main] idle_gc_seconds}: G1PeriodicGCInterval set at start (the JVM's default is 0, off). */
    public static final int DEFAULT_IDLE_GC_SECONDS = 60;
    /** Environment variable that overrides {@code [main] password}. */
    public static final String ENV_PASSWORD = "COMET_PASSWORD";
    /** Environment variable that overrides {@code [db] password}. */
    public static final String ENV_DB_PASSWORD = "COMET_DB_PASSWORD";

    private final CometConfig engine;
    private final WebConfig web;
    private final int webThreads;
    private final CometQlConfig cometql;
    private final JdbcStoreConfig store;
    private final boolean memoryStore;
    private final Path dataDir;
    private final Duration shutdownTimeout;
    private final Map<String, String> logLevels;
    private final Path pidFile;
    private final int statisticsIntervalSeconds;
    private final boolean statisticsToLog;
    private final boolean jvmMemoryTuning;
    private final int heapFreeMinPercent;
    private final int heapFreeMaxPercent;
    private final int idleGcSeconds;
    private final List<String> warnings;

    private LauncherConfig(Builder b, CometConfig engine, WebConfig web, CometQlConfig cometql, JdbcStoreConfig store) {
        this.engine = engine;
        this.web = web;
        this.webThreads = b.webThreads;
        this.cometql = cometql;
        this.store = store;
        this.memoryStore = b.memoryStore;
        this.dataDir = b.dataDir;
        this.shutdownTimeout = b.shutdownTimeout;
        this.logLevels = Collections.unmodifiableMap(new LinkedHashMap<>(b.logLevels));
        this.pidFile = b.pidFile;
        this.statisticsIntervalSeconds = b.statisticsInterval;
        this.statisticsToLog = b.statisticsToLog;
        this.jvmMemoryTuning = b.jvmMemoryTuning;
        this.heapFreeMinPercent = b.heapFreeMinPercent;
        this.heapFreeMaxPercent = b.heapFreeMaxPercent;
        this.idleGcSeconds = b.idleGcSeconds;
        this.warnings = List.copyOf(b.warnings);
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the defaults: no file at all} */
    public static LauncherConfig defaults() {
        return builder().build();
    }

    /** {@return a builder initialised with these settings} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.engine = engine.toBuilder();
        b.web = web.toBuilder();
        b.webThreads = webThreads;
        b.cometql = cometql.toBuilder();
        b.explicitStore = store;
        b.memoryStore = memoryStore;
        b.dataDir = dataDir;
        b.shutdownTimeout = shutdownTimeout;
        b.logLevels.putAll(logLevels);
        b.pidFile = pidFile;
        b.statisticsInterval = statisticsIntervalSeconds;
        b.statisticsToLog = statisticsToLog;
        b.jvmMemoryTuning = jvmMemoryTuning;
        b.heapFreeMinPercent = heapFreeMinPercent;
        b.heapFreeMaxPercent = heapFreeMaxPercent;
        b.idleGcSeconds = idleGcSeconds;
        b.warnings.addAll(warnings);
        return b;
    }

    /** {@return engine settings ({@code [main]}); {@code password} {@code null} = to be generated at start} */
    public CometConfig engine() {
        return engine;
    }

    /** {@return browser listener ({@code [ws]}, {@code [main] base_dir}/{@code node_name}, {@code [content-type]})} */
    public WebConfig web() {
        return web;
    }

    /** {@return browser event-loop threads ({@code [ws] thread_num}); 0 = one per core} */
    public int webThreads() {
        return webThreads;
    }

    /** {@return CometQL listener ({@code [cometql]}); its password is the engine's} */
    public CometQlConfig cometql() {
        return cometql;
    }

    /** {@return {@code [cometql] ip}} */
    public String cometqlIp() {
        return cometql.ip();
    }

    /** {@return {@code [cometql] port}} */
    public int cometqlPort() {
        return cometql.port();
    }

    /**
     * The durable store: MySQL/MariaDB with {@code [db] host}, else H2 under {@link #dataDir()};
     * {@code null} = in memory (tests, ephemeral embedding).
     *
     * @return the durable store
     */
    public JdbcStoreConfig store() {
        return store;
    }

    /** {@return {@code [main] data_dir}: embedded H2 store and generated password file} */
    public Path dataDir() {
        return dataDir;
    }

    /** {@return {@code [main] shutdown_timeout}} */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** {@return logger name → Logback level name, from {@code [log]}, applied at start} */
    public Map<String, String> logLevels() {
        return logLevels;
    }

    /** {@return {@code [main] pidfile}, or {@code null}} */
    public Path pidFile() {
        return pidFile;
    }

    /** {@return {@code [ws] statistics}: seconds between load measurements, 0 = off} */
    public int statisticsIntervalSeconds() {
        return statisticsIntervalSeconds;
    }

    /** {@return {@code [statistics] to_log}} */
    public boolean statisticsToLog() {
        return statisticsToLog;
    }

    /**
     * {@code [main] jvm_memory_tuning}: whether the start sets the JVM's free-heap ratios and G1
     * periodic collection from the three values below (flags the operator set on the command line win).
     *
     * @return {@code [main] jvm_memory_tuning}
     */
    public boolean jvmMemoryTuning() {
        return jvmMemoryTuning;
    }

    /** {@return {@code [main] heap_free_min_percent}: MinHeapFreeRatio set at start} */
    public int heapFreeMinPercent() {
        return heapFreeMinPercent;
    }

    /** {@return {@code [main] heap_free_max_percent}: MaxHeapFreeRatio set at start} */
    public int heapFreeMaxPercent() {
        return heapFreeMaxPercent;
    }

    /** {@return {@code [main] idle_gc_seconds}: G1PeriodicGCInterval set at start, in seconds; 0 = off} */
    public int idleGcSeconds() {
        return idleGcSeconds;
    }

    /** {@return unknown or ignored keys, one line each ({@code file:line: [section] key …}), logged once at start} */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * A copy with another engine config (e.g. with a generated password).
     *
     * @param e the e
     * @return a copy with another engine config
     */
    public LauncherConfig withEngine(CometConfig e) {
        Builder b = toBuilder();
        b.engine = e.toBuilder();
        return b.build();
    }

    /**
     * A copy with other listener ports (tests bind port 0).
     *
     * @param webPort the web port
     * @param cometqlPort the cometql port
     * @return a copy with other listener ports
     */
    public LauncherConfig withPorts(int webPort, int cometqlPort) {
        return toBuilder().web(w -> w.port(webPort)).cometql(q -> q.port(cometqlPort)).build();
    }

    /**
     * A copy with another store; {@code null} = in memory.
     *
     * @param s the s
     * @return a copy with another store
     */
    public LauncherConfig withStore(JdbcStoreConfig s) {
        Builder b = toBuilder();
        b.explicitStore = s;
        b.memoryStore = s == null;
        return b.build();
    }

    @Override
    public String toString() {
        return "LauncherConfig{engine=" + engine + ", web=" + web + ", webThreads=" + webThreads + ", cometql=" + cometql
                + ", store=" + (store == null ? "memory" : store) + ", dataDir=" + dataDir
                + ", shutdownTimeout=" + shutdownTimeout.toSeconds() + "s, logLevels=" + logLevels
                + ", pidFile=" + pidFile + ", statistics=" + statisticsIntervalSeconds + "s/" + statisticsToLog
                + ", jvmMemoryTuning=" + (jvmMemoryTuning ? "heapFree " + heapFreeMinPercent + "-" + heapFreeMaxPercent
                + "%, idleGc " + idleGcSeconds + "s" : "off") + '}';
    }

    /**
     * Reads a comet.ini with the process environment ({@value #ENV_PASSWORD}, {@value #ENV_DB_PASSWORD}).
     *
     * @throws ConfigException on a bad value: {@code file:line: key: reason}
     * @param ini the ini
     * @return the settings
     */
    public static LauncherConfig fromIni(IniFile ini) {
        return fromIni(ini, System.getenv());
    }

    /**
     * Reads every section of {@link IniKeys}: known keys are applied, keys without meaning in
     * Comet and unknown keys become {@link #warnings()}; the environment's passwords win over
     * the file's.
     *
     * @throws ConfigException on a bad value: {@code file:line: key: reason}
     * @param ini the ini
     * @param env the env
     * @return the settings
     */
    public static LauncherConfig fromIni(IniFile ini, Map<String, String> env) {
        Builder b = builder();
        int dbHostLine = 0;
        int heapFreeMinLine = 0;
        int heapFreeMaxLine = 0;
        for (String section : ini.sections()) {
            for (String key : ini.keys(section)) {
                List<IniFile.Value> values = ini.values(section, key);
                IniFile.Value v = values.get(values.size() - 1);
                IniKeys.Parse p = new IniKeys.Parse(ini.source(), section, key, v.line(), b.warnings);
                java.util.Optional<IniKeys.Key> def = IniKeys.find(section, key);
                if (def.isEmpty()) {
                    p.warn("is unknown, ignored");
                    continue;
                }
                if (section.equals("db") && key.equals("host")) {
                    dbHostLine = v.line();
                }
                if (section.equals("main") && key.equals("heap_free_min_percent")) {
                    heapFreeMinLine = v.line();
                }
                if (section.equals("main") && key.equals("heap_free_max_percent")) {
                    heapFreeMaxLine = v.line();
                }
                try {
                    def.get().applier().apply(b, v, p);
                } catch (IllegalArgumentException e) { // a builder refused the value
                    throw p.bad(e.getMessage());
                }
            }
        }
        String envPw = env.get(ENV_PASSWORD);
        if (envPw != null && !envPw.isEmpty()) {
            b.password(envPw);
        }
        String envDbPw = env.get(ENV_DB_PASSWORD);
        if (envDbPw != null) {
            b.dbPassword(envDbPw);
        }
        if (b.dbHost != null && b.dbUrl == null) {
            for (String[] required : new String[][] {{"name", b.dbName}, {"user", b.dbUser}}) {
                if (required[1] == null) {
                    throw new ConfigException(ini.source(), dbHostLine, "host: [db] " + required[0]
                            + " is required with [db] host");
                }
            }
        }
        if (b.heapFreeMinPercent > b.heapFreeMaxPercent) {
            throw heapFreeMaxLine > 0
                    ? new ConfigException(ini.source(), heapFreeMaxLine, "heap_free_max_percent: '" + b.heapFreeMaxPercent
                            + "' is below [main] heap_free_min_percent (expected: >= " + b.heapFreeMinPercent + ")")
                    : new ConfigException(ini.source(), heapFreeMinLine, "heap_free_min_percent: '" + b.heapFreeMinPercent
                            + "' is above [main] heap_free_max_percent (expected: <= " + b.heapFreeMaxPercent + ")");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ini.source() + ": " + e.getMessage());
        }
    }

    /** Builder of {@link LauncherConfig}; {@link #build()} validates. */
    public static final class Builder {
        private CometConfig.Builder engine = CometConfig.builder();
        private WebConfig.Builder web = WebConfig.builder();
        private int webThreads;
        private CometQlConfig.Builder cometql = CometQlConfig.builder();
        private final List<Consumer<JdbcStoreConfig.Builder>> storeSettings = new ArrayList<>();
        private JdbcStoreConfig explicitStore;
        private boolean memoryStore;
        private String dbHost;
        private String dbUrl;
        private int dbPort = DEFAULT_DB_PORT;
        private String dbName;
        private String dbUser;
        private String dbPassword = "";
        private int dbConnectionAttempts = DEFAULT_DB_CONNECTION_ATTEMPTS;
        private Path dataDir = DEFAULT_DATA_DIR;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private final Map<String, String> logLevels = new LinkedHashMap<>();
        private Path pidFile;
        private int statisticsInterval;
        private boolean statisticsToLog;
        private boolean jvmMemoryTuning = true;
        private int heapFreeMinPercent = DEFAULT_HEAP_FREE_MIN_PERCENT;
        private int heapFreeMaxPercent = DEFAULT_HEAP_FREE_MAX_PERCENT;
        private int idleGcSeconds = DEFAULT_IDLE_GC_SECONDS;
        private final List<String> warnings = new ArrayList<>();

        private Builder() {
        }

        /**
         * CometQL password and JWT secret prefix (default: generated once at first start by {@link Main}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder password(String v) {
            engine.password(v);
            return this;
        }

        /**
         * Changes engine settings.
         *
         * @param change the change
         * @return this builder
         */
        public Builder engine(Consumer<CometConfig.Builder> change) {
            change.accept(engine);
            return this;
        }

        /**
         * Changes browser listener settings (default port 8087).
         *
         * @param change the change
         * @return this builder
         */
        public Builder web(Consumer<WebConfig.Builder> change) {
            change.accept(web);
            return this;
        }

        /**
         * Browser event-loop threads, 0 = one per core (default 0).
         *
         * @param v the value
         * @return this builder
         */
        public Builder webThreads(int v) {
            webThreads = v;
            return this;
        }

        /**
         * Changes CometQL listener settings (default port 3300).
         *
         * @param change the change
         * @return this builder
         */
        public Builder cometql(Consumer<CometQlConfig.Builder> change) {
            change.accept(cometql);
            return this;
        }

        /**
         * Changes store tuning (timeouts, batch size) on top of the H2 or {@code [db]} store.
         *
         * @param change the change
         * @return this builder
         */
        public Builder store(Consumer<JdbcStoreConfig.Builder> change) {
            storeSettings.add(Objects.requireNonNull(change, "change"));
            return this;
        }

        /**
         * Uses exactly this store configuration ({@code null}: keep everything in memory, nothing survives a restart).
         *
         * @param v the value
         * @return this builder
         */
        public Builder storeConfig(JdbcStoreConfig v) {
            explicitStore = v;
            memoryStore = v == null;
            return this;
        }

        /**
         * MySQL/MariaDB host ({@code [db] host}); unset = embedded H2.
         *
         * @param v the value
         * @return this builder
         */
        public Builder dbHost(String v) {
            dbHost = v;
            return this;
        }

        /**
         * A full JDBC URL for the store instead of host/port/name (user and password still apply).
         *
         * @param v the value
         * @return this builder
         */
        public Builder dbUrl(String v) {
            dbUrl = v;
            return this;
        }

        /**
         * MySQL/MariaDB port (default {@value LauncherConfig#DEFAULT_DB_PORT}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder dbPort(int v) {
            dbPort = v;
            return this;
        }

        /**
         * Database name.
         *
         * @param v the value
         * @return this builder
         */
        public Builder dbName(String v) {
            dbName = v;
            return this;
        }

        /**
         * Database user.
         *
         * @param v the value
         * @return this builder
         */
        public Builder dbUser(String v) {
            dbUser = v;
            return this;
        }

        /**
         * Database password (default empty).
         *
         * @param v the value
         * @return this builder
         */
        public Builder dbPassword(String v) {
            dbPassword = v == null ? "" : v;
            return this;
        }

        /**
         * Connection attempts at start, 5 s apart (default {@value LauncherConfig#DEFAULT_DB_CONNECTION_ATTEMPTS}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder dbConnectionAttempts(int v) {
            dbConnectionAttempts = v;
            return this;
        }

        /**
         * Data directory (default {@code ./data}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder dataDir(Path v) {
            dataDir = Objects.requireNonNull(v, "dataDir");
            return this;
        }

        /**
         * Deadline of a SIGTERM shutdown (default 10 s).
         *
         * @param v the value
         * @return this builder
         */
        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = Objects.requireNonNull(v, "shutdownTimeout");
            return this;
        }

        /**
         * Sets a Logback level ({@code OFF}, {@code ERROR}, … {@code TRACE}) for a logger at start.
         *
         * @param logger the logger
         * @param level the level
         * @return this builder
         */
        public Builder logLevel(String logger, String level) {
            logLevels.put(Objects.requireNonNull(logger, "logger"), Objects.requireNonNull(level, "level"));
            return this;
        }

        /**
         * pid file written at start (default none).
         *
         * @param v the value
         * @return this builder
         */
        public Builder pidFile(Path v) {
            pidFile = v;
            return this;
        }

        /**
         * Seconds between load measurements, 0 = off (default 0).
         *
         * @param v the value
         * @return this builder
         */
        public Builder statisticsInterval(int v) {
            statisticsInterval = v;
            return this;
        }

        /**
         * Log the load measurements (default false).
         *
         * @param v the value
         * @return this builder
         */
        public Builder statisticsToLog(boolean v) {
            statisticsToLog = v;
            return this;
        }

        /**
         * Sets the JVM's free-heap ratios and G1 periodic collection at start (default true); false
         * leaves them to the JVM, e.g. when embedded in an application that sizes its own heap.
         *
         * @param v the value
         * @return this builder
         */
        public Builder jvmMemoryTuning(boolean v) {
            jvmMemoryTuning = v;
            return this;
        }

        /**
         * MinHeapFreeRatio set at start, 0..100 (default {@value LauncherConfig#DEFAULT_HEAP_FREE_MIN_PERCENT}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder heapFreeMinPercent(int v) {
            heapFreeMinPercent = v;
            return this;
        }

        /**
         * MaxHeapFreeRatio set at start, 0..100 (default {@value LauncherConfig#DEFAULT_HEAP_FREE_MAX_PERCENT}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder heapFreeMaxPercent(int v) {
            heapFreeMaxPercent = v;
            return this;
        }

        /**
         * G1PeriodicGCInterval set at start, in seconds, 0 = off (default {@value LauncherConfig#DEFAULT_IDLE_GC_SECONDS}).
         *
         * @param v the value
         * @return this builder
         */
        public Builder idleGcSeconds(int v) {
            idleGcSeconds = v;
            return this;
        }

        /** {@return the settings, validated} */
        public LauncherConfig build() {
            if (webThreads < 0) {
                throw new IllegalArgumentException("webThreads: " + webThreads + " (expected: >= 0)");
            }
            if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
                throw new IllegalArgumentException("shutdownTimeout: " + shutdownTimeout + " (expected: > 0)");
            }
            if (statisticsInterval < 0) {
                throw new IllegalArgumentException("statisticsInterval: " + statisticsInterval + " (expected: >= 0)");
            }
            if (heapFreeMinPercent < 0 || heapFreeMinPercent > 100) {
                throw new IllegalArgumentException("heapFreeMinPercent: " + heapFreeMinPercent + " (expected: 0..100)");
            }
            if (heapFreeMaxPercent < heapFreeMinPercent || heapFreeMaxPercent > 100) {
                throw new IllegalArgumentException("heapFreeMaxPercent: " + heapFreeMaxPercent + " (expected: "
                        + heapFreeMinPercent + "..100, at least heapFreeMinPercent)");
            }
            if (idleGcSeconds < 0) {
                throw new IllegalArgumentException("idleGcSeconds: " + idleGcSeconds + " (expected: >= 0)");
            }
            JdbcStoreConfig store;
            if (memoryStore) {
                store = null;
            } else {
                JdbcStoreConfig base;
                if (explicitStore != null) {
                    base = explicitStore;
                } else if (dbUrl != null) {
                    base = JdbcStoreConfig.builder().jdbcUrl(dbUrl).user(dbUser).password(dbPassword)
                            .connectionAttempts(dbConnectionAttempts).build();
                } else if (dbHost != null) {
                    if (dbName == null || dbUser == null) {
                        throw new IllegalArgumentException("db: name and user are required with a host");
                    }
                    base = JdbcStoreConfig.mysql(dbHost, dbPort, dbName, dbUser, dbPassword).toBuilder()
                            .connectionAttempts(dbConnectionAttempts).build();
                } else {
                    base = JdbcStoreConfig.h2File(dataDir.resolve("comet"));
                }
                JdbcStoreConfig.Builder sb = base.toBuilder();
                for (Consumer<JdbcStoreConfig.Builder> c : storeSettings) {
                    c.accept(sb);
                }
                store = sb.build();
            }
            return new LauncherConfig(this, engine.build(), web.build(), cometql.build(), store);
        }
    }
}
