package io.comet.server;

import io.comet.cometql.CometQlServer;
import io.comet.core.engine.CometEngine;
import io.comet.transport.CometWebServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Comet server in one process: store → {@link CometEngine} → the browser listener
 * ({@link CometWebServer}: HTTP, WebSocket, long-poll, {@code /comet.js}, static files,
 * {@code POST /cometql}) and the CometQL listener ({@link CometQlServer}, the MySQL protocol the
 * backends speak). {@code comet-server.jar} runs exactly this, configured from {@code comet.ini};
 * an application embeds it the same way:
 *
 * <pre>{@code
 * try (CometServer comet = CometServer.builder()
 *         .password("secret")
 *         .webPort(8087)              // 0 = any free port
 *         .cometqlPort(3300)
 *         .start()) {
 *     comet.engine();                 // publish from Java, or over CometQL on comet.cometqlPort()
 * }
 * }</pre>
 *
 * Nothing here touches the JVM's flags or the logging configuration: that is the launcher's
 * business when it runs as {@code main}. Thread-safe; {@link #close()} is idempotent.
 */
public final class CometServer implements AutoCloseable {

    /** Path of CometQL over HTTP on the browser port (comet-cometql/COMETQL-HTTP.md). */
    public static final String COMETQL_HTTP_PATH = "/cometql";
    /** Default deadline of {@link #close()}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger("io.comet.server");

    private final CometEngine engine;
    private final CometWebServer web;
    private final CometQlServer cometql;
    private final String password;
    private final Duration shutdownTimeout;
    private final Health health;
    private final MeterRegistry meterRegistry;
    private final Duration drainDelay;
    private volatile boolean closed;

    CometServer(CometEngine engine, CometWebServer web, CometQlServer cometql, String password,
                Duration shutdownTimeout, Health health, Duration drainDelay, MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
        this.health = health;
        this.drainDelay = drainDelay;
        this.engine = engine;
        this.web = web;
        this.cometql = cometql;
        this.password = password;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * A builder with the defaults: port 8087 on all interfaces, CometQL on 127.0.0.1:3300, memory store, a password
     * generated at start.
     *
     * @return a new builder
     */
    public static CometServerBuilder builder() {
        return new CometServerBuilder();
    }

    /** {@return the engine: what an embedding Java application publishes through directly} */
    public CometEngine engine() {
        return engine;
    }

    /**
     * {@return the Micrometer registry behind {@code GET /metrics} (a Prometheus one): an
     * application may add its own meters or bind it to its own registry}
     */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** {@return the browser listener} */
    public CometWebServer web() {
        return web;
    }

    /** {@return the CometQL (MySQL protocol) listener} */
    public CometQlServer cometql() {
        return cometql;
    }

    /** {@return the real HTTP/WebSocket port (after binding port 0)} */
    public int webPort() {
        return web.activePort();
    }

    /** {@return the real CometQL port (after binding port 0)} */
    public int cometqlPort() {
        return cometql.activePort();
    }

    /** {@return the CometQL password (user {@code root}), also the JWT secret prefix} */
    public String password() {
        return password;
    }

    /** {@return what a page on this machine passes as {@code node} to {@code CometServer().start()}: {@code host:port}} */
    public String node() {
        return LocalAddresses.node(web.config().ip(), webPort());
    }

    /** {@return where a browser on this machine reaches the server, e.g. {@code http://127.0.0.1:8087/}} */
    public String pageUrl() {
        return (web.secure() ? "https://" : "http://") + node() + "/";
    }

    /** {@return the JDBC URL of the CometQL listener (user {@code root}, namespace 0)} */
    public String jdbcUrl() {
        return LocalAddresses.jdbcUrl(cometql.config().ip(), cometqlPort());
    }

    /**
     * A {@code mysql} command line that publishes {@code hello} to pipe {@code web_demo} (the pipe
     * the start page listens to).
     *
     * @param showPassword whether the command carries the password ({@code -p'…'}) or asks for it ({@code -p})
     * @return the command line, ready to paste into a shell
     */
    public String mysqlCommand(boolean showPassword) {
        return LocalAddresses.mysqlCommand(cometql.config().ip(), cometqlPort(), password, showPassword);
    }

    /**
     * Re-reads the TLS certificate files now (the launcher does it on {@code SIGHUP}); the files are
     * also checked every {@link io.comet.tls.TlsFiles#reloadInterval()}. A broken pair is logged and
     * the certificate in force kept.
     *
     * @return true if a listener now serves a new certificate
     */
    public boolean reloadTls() {
        boolean changed = false;
        if (web.tls() != null) {
            changed |= web.tls().reload();
        }
        if (cometql.tls() != null) {
            changed |= cometql.tls().reload();
        }
        return changed;
    }

    /**
     * Starts draining: from now on {@code GET /ready} answers 503 {@code draining} (load balancers
     * stop sending new tabs) while everything keeps serving. {@link #close()} does it first.
     * Idempotent.
     */
    public void drain() {
        if (!health.draining()) {
            health.startDrain();
            log.info("Comet draining: GET /ready answers 503");
        }
    }

    /** {@return true once {@link #drain()} (or {@link #close()}) started} */
    public boolean draining() {
        return health.draining();
    }

    /**
     * Graceful stop: {@link #drain()}s, serves on for the drain delay
     * ({@link CometServerBuilder#drainDelay(Duration)}), stops accepting on both listeners, drops every browser connection abruptly
     * (TCP close without a WebSocket Close frame, so the original clients reconnect), lets the
     * in-flight CometQL commands finish and answer (at most half of the shutdown timeout), then
     * flushes and closes the store. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        log.info("Comet stopping (deadline {} s)", shutdownTimeout.toSeconds());
        drain();
        if (!drainDelay.isZero()) {
            try {
                Thread.sleep(drainDelay.toMillis()); // serving on while balancers see /ready fail
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            cometql.stopAccepting();
            web.close();
            cometql.closeGracefully(shutdownTimeout.dividedBy(2)); // the rest of the deadline is for the flush
        } finally {
            engine.close();
        }
        log.info("Comet stopped");
    }
}
