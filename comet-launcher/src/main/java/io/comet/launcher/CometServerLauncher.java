package io.comet.launcher;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.CometQlServer;
import io.comet.cometql.http.CometQlHttpService;
import io.comet.cometql.protocol.AuthThrottle;
import io.comet.core.CometEngine;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.core.store.jdbc.JdbcStore;
import io.comet.transport.CometWebServer;
import io.comet.transport.HttpEndpoint;
import io.comet.core.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the pieces are wired: store → engine → browser listener (HTTP, WebSocket,
 * long-poll, {@code POST /cometql}) and CometQL listener (MySQL protocol). {@link Main} only
 * parses arguments and handles signals.
 *
 * <pre>{@code
 * try (CometServerLauncher comet = CometServerLauncher.start(LauncherConfig.defaults())) {
 *     int port = comet.webPort();
 * }
 * }</pre>
 */
public final class CometServerLauncher implements AutoCloseable {

    /** Path of CometQL over HTTP on the browser port (comet-cometql/COMETQL-HTTP.md). */
    public static final String COMETQL_HTTP_PATH = "/cometql";

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    private final LauncherConfig config;
    private final CometEngine engine;
    private final CometWebServer web;
    private final CometQlServer cometql;
    /** Returns freed C heap to the OS ({@code [main] jvm_memory_tuning}); null when off. */
    private final NativeHeapTrimmer trimmer;
    private volatile boolean closed;
    private volatile ScheduledExecutorService statistics;

    private CometServerLauncher(LauncherConfig config, CometEngine engine, CometWebServer web, CometQlServer cometql,
                                NativeHeapTrimmer trimmer) {
        this.config = config;
        this.engine = engine;
        this.web = web;
        this.cometql = cometql;
        this.trimmer = trimmer;
    }

    private static void closeQuietly(NativeHeapTrimmer t) {
        if (t != null) {
            t.close();
        }
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
     * {@code [log]} levels and the JVM memory tuning ({@link LauncherConfig#jvmMemoryTuning()}: this
     * JVM's free-heap ratios and G1 periodic collection, where not set on the command line), resolves
     * the password ({@link Passwords}) and writes the pid file.
     *
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
        NativeHeapTrimmer trimmer = null;
        if (config.jvmMemoryTuning()) { // before the listeners: the heap sizing holds from the first connection
            JvmMemoryTuning.apply(config.heapFreeMinPercent(), config.heapFreeMaxPercent(), config.idleGcSeconds());
            trimmer = NativeHeapTrimmer.start();
        }
        if (config.engine().password() == null) {
            config = config.withEngine(config.engine().toBuilder().password(Passwords.loadOrGenerate(config.dataDir()))
                    .build());
        }
        Store store;
        try {
            store = storeDecorator.apply(createStore(config));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the store " + describeStore(config) + ": " + e.getMessage(), e);
        }
        CometEngine engine = CometEngine.builder().config(config.engine()).store(store).build();
        CometQlConfig qlConfig = config.cometql().toBuilder().password(config.engine().password()).build();
        // one login throttle for both doors: guesses over the MySQL port and POST /cometql count together
        AuthThrottle throttle = new AuthThrottle(qlConfig.limits(), System::nanoTime);
        CometQlHttpService http = new CometQlHttpService(engine, qlConfig, throttle);
        CometWebServer web = CometWebServer.builder().engine(engine).config(config.web()).threads(config.webThreads())
                .endpoint(COMETQL_HTTP_PATH, request -> cometqlOverHttp(http, request))
                .build();
        CometQlServer cometql = CometQlServer.builder().engine(engine).config(qlConfig).authThrottle(throttle).build();
        try {
            web.start().join();
        } catch (RuntimeException e) {
            web.close();
            engine.close();
            closeQuietly(trimmer);
            throw bindFailure(config.web().ip(), config.web().port(), e);
        }
        try {
            cometql.start().join();
        } catch (RuntimeException e) {
            cometql.close();
            web.close();
            engine.close();
            closeQuietly(trimmer);
            throw bindFailure(config.cometqlIp(), config.cometqlPort(), e);
        }
        CometServerLauncher l = new CometServerLauncher(config, engine, web, cometql, trimmer);
        l.writePidFile();
        l.startStatistics();
        log.info("Comet is up: HTTP/WebSocket on {}:{} (ws://{}:{}/ws/...), store {}", config.web().ip(), web.activePort(),
                config.web().ip(), web.activePort(), describeStore(config));
        log.info("CometQL (MySQL protocol) on {}:{}, CometQL over HTTP at POST {}, node {}", config.cometqlIp(),
                cometql.activePort(), COMETQL_HTTP_PATH, config.web().nodeName());
        return l;
    }

    private static IllegalStateException bindFailure(String ip, int port, RuntimeException e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException("cannot listen on " + ip + ":" + port + ": " + c, c);
    }

    private static CompletableFuture<HttpEndpoint.Response> cometqlOverHttp(CometQlHttpService http,
                                                                           HttpEndpoint.Request request) {
        if (!request.method().equals("POST")) {
            return CompletableFuture.completedFuture(new HttpEndpoint.Response(405, "application/json; charset=UTF-8",
                    "{\"error\":{\"code\":405,\"message\":\"use POST\"}}".getBytes(StandardCharsets.UTF_8)));
        }
        return http.execute(request.remoteAddress(), request.headers().get("authorization"),
                        new String(request.body(), StandardCharsets.UTF_8))
                .thenApply(a -> new HttpEndpoint.Response(a.status(), a.contentType(),
                        a.body().getBytes(StandardCharsets.UTF_8)));
    }

    public LauncherConfig config() {
        return config;
    }

    public CometEngine engine() {
        return engine;
    }

    public CometWebServer web() {
        return web;
    }

    public CometQlServer cometql() {
        return cometql;
    }

    /** The real HTTP/WebSocket port (after binding port 0). */
    public int webPort() {
        return web.activePort();
    }

    /** The real CometQL port (after binding port 0). */
    public int cometqlPort() {
        return cometql.activePort();
    }

    private void writePidFile() {
        Path pid = config.pidFile();
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

    private void startStatistics() {
        if (config.statisticsIntervalSeconds() <= 0) {
            return;
        }
        Logger statsLog = LoggerFactory.getLogger("io.comet.launcher.statistics");
        statistics = Executors.newSingleThreadScheduledExecutor(r -> {
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
    }

    /**
     * Graceful stop: stops accepting on both listeners, drops every browser connection abruptly
     * (TCP close without a WebSocket Close frame, so the original clients reconnect), lets the
     * in-flight CometQL commands finish and answer, then flushes and closes the store. Waits at
     * most half of {@code config().shutdownTimeout()} for CometQL commands ({@link Main} enforces the
     * whole deadline). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Comet stopping (deadline {} s)", config.shutdownTimeout().toSeconds());
        if (statistics != null) {
            statistics.shutdownNow();
        }
        cometql.stopAccepting();
        web.close();
        cometql.closeGracefully(config.shutdownTimeout().dividedBy(2)); // the rest of the deadline is for the flush
        engine.close();
        closeQuietly(trimmer);
        if (config.pidFile() != null) {
            try {
                Files.deleteIfExists(config.pidFile());
            } catch (IOException e) {
                log.warn("cannot delete pid file {}: {}", config.pidFile(), e.toString());
            }
        }
        log.info("Comet stopped");
    }
}
