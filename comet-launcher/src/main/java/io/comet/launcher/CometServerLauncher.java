package io.comet.launcher;

import io.comet.core.CometEngine;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.transport.CometWebServer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the pieces are wired: store → engine → browser listener. Swap the store
 * in {@link #createStore(LauncherConfig)} (JdbcStore later) and add the CometQL listener in
 * {@link #start(LauncherConfig)}; {@link Main} only parses arguments and handles signals.
 *
 * <pre>{@code
 * try (CometServerLauncher comet = CometServerLauncher.start(LauncherConfig.defaults())) {
 *     int port = comet.webPort();
 * }
 * }</pre>
 */
public final class CometServerLauncher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    private final LauncherConfig config;
    private final CometEngine engine;
    private final CometWebServer web;
    private volatile boolean closed;

    private CometServerLauncher(LauncherConfig config, CometEngine engine, CometWebServer web) {
        this.config = config;
        this.engine = engine;
        this.web = web;
    }

    /** The durable store the engine uses. For now in memory; a JdbcStore (H2/MySQL) replaces it here. */
    static Store createStore(LauncherConfig config) {
        return new MemoryStore();
    }

    /**
     * Builds and starts everything; returns once the listeners accept connections.
     *
     * @throws IllegalStateException if a listener cannot bind (the message names the address)
     */
    public static CometServerLauncher start(LauncherConfig config) {
        Objects.requireNonNull(config, "config");
        for (String w : config.warnings()) {
            log.warn(w);
        }
        CometEngine engine = CometEngine.builder().config(config.engine()).store(createStore(config)).build();
        CometWebServer web = CometWebServer.builder().engine(engine).config(config.web()).threads(config.webThreads())
                .build();
        try {
            web.start().join();
        } catch (RuntimeException e) {
            web.close();
            engine.close();
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + config.web().ip() + ":" + config.web().port() + ": " + c, c);
        }
        CometServerLauncher l = new CometServerLauncher(config, engine, web);
        log.info("Comet is up: HTTP/WebSocket on {}:{} (ws://{}:{}/ws/...), store {}", config.web().ip(), web.activePort(),
                config.web().ip(), web.activePort(), "memory");
        log.info("CometQL address configured as {}:{} (the CometQL listener is not part of this build yet)",
                config.cometqlIp(), config.cometqlPort());
        return l;
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

    /** The real HTTP/WebSocket port (after binding port 0). */
    public int webPort() {
        return web.activePort();
    }

    /** Stops accepting, closes connections, flushes and closes the engine's store. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Comet stopping");
        web.close();
        engine.close();
        log.info("Comet stopped");
    }
}
