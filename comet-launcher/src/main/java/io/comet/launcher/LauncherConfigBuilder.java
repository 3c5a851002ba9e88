package io.comet.launcher;

import static io.comet.launcher.LauncherConfig.DEFAULT_DATA_DIR;
import static io.comet.launcher.LauncherConfig.DEFAULT_DB_CONNECTION_ATTEMPTS;
import static io.comet.launcher.LauncherConfig.DEFAULT_DB_PORT;
import static io.comet.launcher.LauncherConfig.DEFAULT_HEAP_FREE_MAX_PERCENT;
import static io.comet.launcher.LauncherConfig.DEFAULT_HEAP_FREE_MIN_PERCENT;
import static io.comet.launcher.LauncherConfig.DEFAULT_IDLE_GC_SECONDS;
import static io.comet.launcher.LauncherConfig.DEFAULT_SHUTDOWN_TIMEOUT;

import io.comet.broker.redis.RedisBrokerConfig;
import io.comet.cometql.CometQlConfig;
import io.comet.core.CometConfig;
import io.comet.core.store.jdbc.JdbcStoreConfig;
import io.comet.transport.WebConfig;
import io.comet.transport.WebConfigBuilder;
import io.comet.server.MetricsAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builder of {@link LauncherConfig} ({@link LauncherConfig#builder()}, {@link LauncherConfig#toBuilder()});
 * {@link #build()} validates. Not thread-safe. The fields are package-private for
 * {@link LauncherConfig#toBuilder()} and the comet.ini reader.
 */
public final class LauncherConfigBuilder {
    CometConfig.Builder engine = CometConfig.builder();
    WebConfigBuilder web = WebConfig.builder();
    int webThreads;
    CometQlConfig.Builder cometql = CometQlConfig.builder();
    final ListenerTls wsTls = new ListenerTls("ws");
    final ListenerTls cometqlTls = new ListenerTls("cometql");
    final List<Consumer<JdbcStoreConfig.Builder>> storeSettings = new ArrayList<>();
    JdbcStoreConfig explicitStore;
    String redisUri;
    RedisBrokerConfig explicitRedis;
    final List<Consumer<RedisBrokerConfig.Builder>> redisSettings = new ArrayList<>();
    boolean memoryStore;
    String dbHost;
    String dbUrl;
    int dbPort = DEFAULT_DB_PORT;
    String dbName;
    String dbUser;
    String dbPassword = "";
    int dbConnectionAttempts = DEFAULT_DB_CONNECTION_ATTEMPTS;
    Path dataDir = DEFAULT_DATA_DIR;
    Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    Duration drainDelay = Duration.ZERO;
    MetricsAccess metrics = MetricsAccess.PASSWORD;
    final Map<String, String> logLevels = new LinkedHashMap<>();
    Path pidFile;
    int statisticsInterval;
    boolean statisticsToLog;
    boolean jvmMemoryTuning = true;
    int heapFreeMinPercent = DEFAULT_HEAP_FREE_MIN_PERCENT;
    int heapFreeMaxPercent = DEFAULT_HEAP_FREE_MAX_PERCENT;
    int idleGcSeconds = DEFAULT_IDLE_GC_SECONDS;
    final List<String> warnings = new ArrayList<>();

    LauncherConfigBuilder() {
    }

    /**
     * CometQL password and JWT secret prefix (default: generated once at first start by {@link Main}).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder password(String v) {
        engine.password(v);
        return this;
    }

    /**
     * Changes engine settings.
     *
     * @param change the change
     * @return this builder
     */
    public LauncherConfigBuilder engine(Consumer<CometConfig.Builder> change) {
        change.accept(engine);
        return this;
    }

    /**
     * Changes browser listener settings (default port 8087).
     *
     * @param change the change
     * @return this builder
     */
    public LauncherConfigBuilder web(Consumer<WebConfigBuilder> change) {
        change.accept(web);
        return this;
    }

    /**
     * Browser event-loop threads, 0 = one per core (default 0).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder webThreads(int v) {
        webThreads = v;
        return this;
    }

    /**
     * Changes CometQL listener settings (default port 3300).
     *
     * @param change the change
     * @return this builder
     */
    public LauncherConfigBuilder cometql(Consumer<CometQlConfig.Builder> change) {
        change.accept(cometql);
        return this;
    }

    /**
     * Changes store tuning (timeouts, batch size) on top of the H2 or {@code [db]} store.
     *
     * @param change the change
     * @return this builder
     */
    public LauncherConfigBuilder store(Consumer<JdbcStoreConfig.Builder> change) {
        storeSettings.add(Objects.requireNonNull(change, "change"));
        return this;
    }

    /**
     * Uses exactly this store configuration ({@code null}: keep everything in memory, nothing survives a restart).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder storeConfig(JdbcStoreConfig v) {
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
    public LauncherConfigBuilder dbHost(String v) {
        dbHost = v;
        return this;
    }

    /**
     * A full JDBC URL for the store instead of host/port/name (user and password still apply).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder dbUrl(String v) {
        dbUrl = v;
        return this;
    }

    /**
     * MySQL/MariaDB port (default {@value LauncherConfig#DEFAULT_DB_PORT}).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder dbPort(int v) {
        dbPort = v;
        return this;
    }

    /**
     * Database name.
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder dbName(String v) {
        dbName = v;
        return this;
    }

    /**
     * Database user.
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder dbUser(String v) {
        dbUser = v;
        return this;
    }

    /**
     * Database password (default empty).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder dbPassword(String v) {
        dbPassword = v == null ? "" : v;
        return this;
    }

    /**
     * Connection attempts at start, 5 s apart (default {@value LauncherConfig#DEFAULT_DB_CONNECTION_ATTEMPTS}).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder dbConnectionAttempts(int v) {
        dbConnectionAttempts = v;
        return this;
    }

    /**
     * Data directory (default {@code ./data}).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder dataDir(Path v) {
        dataDir = Objects.requireNonNull(v, "dataDir");
        return this;
    }

    /**
     * Deadline of a SIGTERM shutdown (default 10 s).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder shutdownTimeout(Duration v) {
        shutdownTimeout = Objects.requireNonNull(v, "shutdownTimeout");
        return this;
    }

    /** How long a SIGTERM serves on with {@code GET /ready} at 503 (default 0). */
    public LauncherConfigBuilder drainDelay(Duration v) {
        drainDelay = Objects.requireNonNull(v, "drainDelay");
        return this;
    }

    /** Who may read {@code GET /metrics} (default: the CometQL password). */
    public LauncherConfigBuilder metrics(MetricsAccess v) {
        metrics = Objects.requireNonNull(v, "metrics");
        return this;
    }

    /**
     * Sets a Logback level ({@code OFF}, {@code ERROR}, … {@code TRACE}) for a logger at start.
     *
     * @param logger the logger
     * @param level the level
     * @return this builder
     */
    public LauncherConfigBuilder logLevel(String logger, String level) {
        logLevels.put(Objects.requireNonNull(logger, "logger"), Objects.requireNonNull(level, "level"));
        return this;
    }

    /**
     * pid file written at start (default none).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder pidFile(Path v) {
        pidFile = v;
        return this;
    }

    /**
     * Seconds between load measurements, 0 = off (default 0).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder statisticsInterval(int v) {
        statisticsInterval = v;
        return this;
    }

    /**
     * Log the load measurements (default false).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder statisticsToLog(boolean v) {
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
    public LauncherConfigBuilder jvmMemoryTuning(boolean v) {
        jvmMemoryTuning = v;
        return this;
    }

    /**
     * MinHeapFreeRatio set at start, 0..100 (default {@value LauncherConfig#DEFAULT_HEAP_FREE_MIN_PERCENT}).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder heapFreeMinPercent(int v) {
        heapFreeMinPercent = v;
        return this;
    }

    /**
     * MaxHeapFreeRatio set at start, 0..100 (default {@value LauncherConfig#DEFAULT_HEAP_FREE_MAX_PERCENT}).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder heapFreeMaxPercent(int v) {
        heapFreeMaxPercent = v;
        return this;
    }

    /**
     * G1PeriodicGCInterval set at start, in seconds, 0 = off (default {@value LauncherConfig#DEFAULT_IDLE_GC_SECONDS}).
     *
     * @param v the value
     * @return this builder
     */
    public LauncherConfigBuilder idleGcSeconds(int v) {
        idleGcSeconds = v;
        return this;
    }

    /** Several nodes as one server on this Redis ({@code [redis] uri}); the node is named by {@code [main] node_name}. */
    public LauncherConfigBuilder redisUri(String v) {
        redisUri = Objects.requireNonNull(v, "redisUri");
        return this;
    }

    /** Changes Redis settings ({@code [redis]} keys other than {@code uri}). */
    public LauncherConfigBuilder redis(Consumer<RedisBrokerConfig.Builder> change) {
        redisSettings.add(Objects.requireNonNull(change, "change"));
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
        if (drainDelay.compareTo(shutdownTimeout) >= 0) {
            throw new IllegalArgumentException("drain_delay: " + drainDelay.toSeconds() + " s (expected: below shutdown_timeout "
                    + shutdownTimeout.toSeconds() + " s)");
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
        JdbcStoreConfig store = StoreChoice.of(this);
        wsTls.applyTo(web::tls);
        cometqlTls.applyTo(cometql::tls);
        WebConfig w = web.build();
        return new LauncherConfig(this, engine.build(), w, cometql.build(), store,
                RedisIniKeys.config(redisUri, explicitRedis, redisSettings, w.nodeName()));
    }
}
