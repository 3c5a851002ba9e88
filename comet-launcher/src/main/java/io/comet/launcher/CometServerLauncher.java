package io.comet.launcher;

import io.comet.core.Stats;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.core.store.jdbc.JdbcStore;
import io.comet.server.CometServer;
import io.comet.server.CometServerBuilder;
import io.comet.transport.CometWebServer;
import io.comet.cometql.CometQlServer;
import io.comet.core.engine.CometEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CometServer} run from a {@link LauncherConfig} ({@code comet.ini}): applies the
 * {@code [log]} levels, resolves the password ({@link Passwords}), opens the configured store,
 * starts the server, writes the pid file and logs the statistics. The wiring itself is
 * {@link CometServer}'s; the JVM memory tuning is {@link Main}'s (only when launched as the
 * server). {@link Main} parses arguments and handles signals.
 *
 * <pre>{@code
 * try (CometServerLauncher comet = CometServerLauncher.start(LauncherConfig.defaults())) {
 *     int port = comet.webPort();
 * }
 * }</pre>
 */
public final class CometServerLauncher implements AutoCloseable {

    /** Path of CometQL over HTTP on the browser port (comet-cometql/COMETQL-HTTP.md). */
    public static final String COMETQL_HTTP_PATH = CometServer.COMETQL_HTTP_PATH;

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    private final LauncherConfig config;
    private final CometServer server;
    private final ScheduledExecutorService statistics;

    private CometServerLauncher(LauncherConfig config, CometServer server) {
        this.config = config;
        this.server = server;
        this.statistics = startStatistics(config, server.engine());
    }

    /** The durable store: JdbcStore (embedded H2 by default, MySQL/MariaDB with [db]), or memory when none is set. */
    static Store createStore(LauncherConfig config) {
        return config.store() == null ? new MemoryStore() : JdbcStore.open(config.store());
    }

    private static String describeStore(LauncherConfig config) {
        if (config.store() == null) {
            return "memory (nothing survives a restart)";
        }
        String url = config.store().jdbcUrl();
        int semi = url.indexOf(';');
        return semi < 0 ? url : url.substring(0, semi);
    }

    /**
     * Builds and starts everything; returns once the listeners accept connections. Applies the
     * {@code [log]} levels, resolves the password ({@link Passwords}) and writes the pid file. Does
     * not touch the JVM's flags ({@link Main} does, for {@code [main] jvm_memory_tuning}).
     *
     * @param config the settings
     * @return the running server
     * @throws IllegalStateException if the store cannot be opened or a listener cannot bind
     */
    public static CometServerLauncher start(LauncherConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /** {@link #start(LauncherConfig)} with the store wrapped (tests). */
    static CometServerLauncher start(LauncherConfig config, UnaryOperator<Store> storeDecorator) {
        Objects.requireNonNull(config, "config");
        LogLevels.apply(config.logLevels());
        log.debug("effective configuration: {}", config);
        for (String w : config.warnings()) {
            log.warn(w);
        }
        boolean generatedNow = false;
        if (config.engine().password() == null) {
            Passwords.Kept kept = Passwords.loadOrGenerate(config.dataDir());
            generatedNow = kept.generatedNow();
            config = config.withEngine(config.engine().toBuilder().password(kept.password()).build());
        }
        Store store;
        try {
            store = storeDecorator.apply(createStore(config));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the store " + describeStore(config) + ": " + e.getMessage(), e);
        }
        CometServerBuilder b = CometServer.builder()
                .engine(config.engine())
                .web(config.web())
                .webThreads(config.webThreads())
                .cometql(config.cometql())
                .store(store)
                .shutdownTimeout(config.shutdownTimeout())
                .drainDelay(config.drainDelay())
                .metrics(config.metrics());
        config.redis().ifPresent(b::redis);
        String pw = config.engine().password();
        writePidFile(config.pidFile()); // before the start line: whoever saw it finds the pid file
        CometServer server;
        try {
            server = (generatedNow ? b.generatedPassword(pw) : b.password(pw)).start();
        } catch (RuntimeException e) {
            deletePidFile(config.pidFile());
            throw e;
        }
        return new CometServerLauncher(config, server);
    }

    /** {@return the settings in force (with the resolved password)} */
    public LauncherConfig config() {
        return config;
    }

    /** {@return the running server} */
    public CometServer server() {
        return server;
    }

    /** {@return the engine} */
    public CometEngine engine() {
        return server.engine();
    }

    /** {@return the browser listener} */
    public CometWebServer web() {
        return server.web();
    }

    /** {@return the CometQL listener} */
    public CometQlServer cometql() {
        return server.cometql();
    }

    /** {@return the real HTTP/WebSocket port (after binding port 0)} */
    public int webPort() {
        return server.webPort();
    }

    /** {@return the real CometQL port (after binding port 0)} */
    public int cometqlPort() {
        return server.cometqlPort();
    }

    private static void writePidFile(Path pid) {
        if (pid == null) {
            return;
        }
        try {
            if (pid.getParent() != null) {
                Files.createDirectories(pid.getParent());
            }
            Files.writeString(pid, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            log.warn("cannot write pid file {}: {}", pid, e.toString());
        }
    }

    private static ScheduledExecutorService startStatistics(LauncherConfig config, CometEngine engine) {
        if (config.statisticsIntervalSeconds() <= 0) {
            return null;
        }
        Logger statsLog = LoggerFactory.getLogger("io.comet.launcher.statistics");
        ScheduledExecutorService statistics = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "comet-statistics");
            t.setDaemon(true);
            return t;
        });
        long every = config.statisticsIntervalSeconds();
        statistics.scheduleAtFixedRate(() -> {
            Stats s = engine.stats();
            if (config.statisticsToLog()) {
                statsLog.info("load: {} online, {} backend connection(s), {} message(s), {} deliveries, {} connects, "
                        + "{} disconnects", s.online(), s.backendOnline(), s.messages(), s.deliveries(), s.connects(),
                        s.disconnects());
            }
        }, every, every, TimeUnit.SECONDS);
        return statistics;
    }

    /**
     * Graceful stop ({@link CometServer#close()}: listeners stop accepting, browser connections
     * dropped abruptly so the original clients reconnect, in-flight CometQL commands answered within
     * half of {@code config().shutdownTimeout()}, the store flushed and closed), then the pid file
     * goes. {@link Main} enforces the whole deadline. Idempotent.
     */
    @Override
    public void close() {
        if (statistics != null) {
            statistics.shutdownNow();
        }
        server.close();
        deletePidFile(config.pidFile());
    }

    private static void deletePidFile(Path pid) {
        if (pid != null) {
            try {
                Files.deleteIfExists(pid);
            } catch (IOException e) {
                log.warn("cannot delete pid file {}: {}", pid, e.toString());
            }
        }
    }
}
