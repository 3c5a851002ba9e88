package io.comet.launcher;

import io.comet.broker.redis.RedisBrokerConfig;
import io.comet.cometql.CometQlConfig;
import io.comet.core.CometConfig;
import io.comet.core.store.jdbc.JdbcStoreConfig;
import io.comet.transport.WebConfig;
import io.comet.server.MetricsAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final Duration drainDelay;
    private final MetricsAccess metrics;
    private final Map<String, String> logLevels;
    private final Path pidFile;
    private final int statisticsIntervalSeconds;
    private final boolean statisticsToLog;
    private final boolean jvmMemoryTuning;
    private final int heapFreeMinPercent;
    private final int heapFreeMaxPercent;
    private final int idleGcSeconds;
    private final List<String> warnings;
    private final RedisBrokerConfig redis;

    LauncherConfig(LauncherConfigBuilder b, CometConfig engine, WebConfig web, CometQlConfig cometql, JdbcStoreConfig store,
                   RedisBrokerConfig redis) {
        this.redis = redis;
        this.engine = engine;
        this.web = web;
        this.webThreads = b.webThreads;
        this.cometql = cometql;
        this.store = store;
        this.memoryStore = b.memoryStore;
        this.dataDir = b.dataDir;
        this.shutdownTimeout = b.shutdownTimeout;
        this.drainDelay = b.drainDelay;
        this.metrics = b.metrics;
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
    public static LauncherConfigBuilder builder() {
        return new LauncherConfigBuilder();
    }

    /** {@return the defaults: no file at all} */
    public static LauncherConfig defaults() {
        return builder().build();
    }

    /** {@return a builder initialised with these settings} */
    public LauncherConfigBuilder toBuilder() {
        LauncherConfigBuilder b = new LauncherConfigBuilder();
        b.engine = engine.toBuilder();
        b.web = web.toBuilder();
        b.webThreads = webThreads;
        b.cometql = cometql.toBuilder();
        b.explicitStore = store;
        b.explicitRedis = redis;
        b.memoryStore = memoryStore;
        b.dataDir = dataDir;
        b.shutdownTimeout = shutdownTimeout;
        b.drainDelay = drainDelay;
        b.metrics = metrics;
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

    /** {@return the Redis the node shares with the others ({@code [redis]}), empty: one node alone} */
    public java.util.Optional<RedisBrokerConfig> redis() {
        return java.util.Optional.ofNullable(redis);
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

    /** {@return {@code [main] drain_delay}: serving on with {@code /ready} at 503 before a SIGTERM closes the listeners} */
    public Duration drainDelay() {
        return drainDelay;
    }

    /** {@return {@code [main] metrics}: who may read {@code GET /metrics}} */
    public MetricsAccess metrics() {
        return metrics;
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
        LauncherConfigBuilder b = toBuilder();
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
        LauncherConfigBuilder b = toBuilder();
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
        return IniReader.read(ini, env);
    }
}
