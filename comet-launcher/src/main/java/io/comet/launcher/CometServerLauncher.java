package io.comet.launcher;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.CometQlServer;
import io.comet.cometql.http.CometQlHttpService;
import io.comet.core.CometEngine;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.core.store.jdbc.JdbcStore;
import io.comet.transport.CometWebServer;
import io.comet.transport.HttpEndpoint;
import java.nio.charset.StandardCharsets;
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
    private volatile boolean closed;

    private CometServerLauncher(LauncherConfig config, CometEngine engine, CometWebServer web, CometQlServer cometql) {
        this.config = config;
        this.engine = engine;
        this.web = web;
        this.cometql = cometql;
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
     * Builds and starts everything; returns once the listeners accept connections.
     *
     * @throws IllegalStateException if the store cannot be opened or a listener cannot bind
     */
    public static CometServerLauncher start(LauncherConfig config) {
        Objects.requireNonNull(config, "config");
        for (String w : config.warnings()) {
            log.warn(w);
        }
        Store store;
        try {
            store = createStore(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the store " + describeStore(config) + ": " + e.getMessage(), e);
        }
        CometEngine engine = CometEngine.builder().config(config.engine()).store(store).build();
        CometQlConfig qlConfig = CometQlConfig.builder().ip(config.cometqlIp()).port(config.cometqlPort())
                .password(config.engine().password()).build();
        CometQlHttpService http = new CometQlHttpService(engine, qlConfig);
        CometWebServer web = CometWebServer.builder().engine(engine).config(config.web()).threads(config.webThreads())
                .endpoint(COMETQL_HTTP_PATH, request -> cometqlOverHttp(http, request))
                .build();
        CometQlServer cometql = CometQlServer.builder().engine(engine).config(qlConfig).build();
        try {
            web.start().join();
        } catch (RuntimeException e) {
            web.close();
            engine.close();
            throw bindFailure(config.web().ip(), config.web().port(), e);
        }
        try {
            cometql.start().join();
        } catch (RuntimeException e) {
            cometql.close();
            web.close();
            engine.close();
            throw bindFailure(config.cometqlIp(), config.cometqlPort(), e);
        }
        CometServerLauncher l = new CometServerLauncher(config, engine, web, cometql);
        log.info("Comet is up: HTTP/WebSocket on {}:{} (ws://{}:{}/ws/...), store {}", config.web().ip(), web.activePort(),
                config.web().ip(), web.activePort(), describeStore(config));
        log.info("CometQL (MySQL protocol) on {}:{}, CometQL over HTTP at POST {}", config.cometqlIp(),
                cometql.activePort(), COMETQL_HTTP_PATH);
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
        return http.execute(request.headers().get("authorization"), new String(request.body(), StandardCharsets.UTF_8))
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

    /** Stops accepting, closes connections, flushes and closes the engine's store. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Comet stopping");
        cometql.close();
        web.close();
        engine.close();
        log.info("Comet stopped");
    }
}
