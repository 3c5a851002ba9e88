package io.comet.server;

import io.comet.broker.redis.RedisBrokerConfig;
import io.comet.cometql.CometQlConfig;
import io.comet.cometql.CometQlServer;
import io.comet.cometql.http.CometQlHttpService;
import io.comet.cometql.protocol.AuthThrottle;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.core.store.jdbc.JdbcStore;
import io.comet.core.store.jdbc.JdbcStoreConfig;
import io.comet.transport.CometWebServer;
import io.comet.transport.HttpEndpoint;
import io.comet.transport.WebConfig;
import io.comet.transport.WebConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
    private volatile boolean closed;

    private CometServer(CometEngine engine, CometWebServer web, CometQlServer cometql, String password,
                        Duration shutdownTimeout) {
        this.engine = engine;
        this.web = web;
        this.cometql = cometql;
        this.password = password;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * A builder with the defaults: ports 8087 and 3300 on all interfaces, memory store, a password
     * generated at start.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the engine: what an embedding Java application publishes through directly} */
    public CometEngine engine() {
        return engine;
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
        return "http://" + node() + "/";
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
     * Graceful stop: stops accepting on both listeners, drops every browser connection abruptly
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
        try {
            cometql.stopAccepting();
            web.close();
            cometql.closeGracefully(shutdownTimeout.dividedBy(2)); // the rest of the deadline is for the flush
        } finally {
            engine.close();
        }
        log.info("Comet stopped");
    }

    /** Settings of a {@link CometServer}; {@link #start()} builds and starts it. Not thread-safe. */
    public static final class Builder {
        private CometConfig engine = CometConfig.DEFAULT;
        private WebConfigBuilder web = WebConfig.builder();
        private int webThreads;
        private CometQlConfig.Builder cometql = CometQlConfig.builder();
        private Store store;
        private JdbcStoreConfig jdbcStore;
        private RedisBrokerConfig redis;
        private String password;
        private boolean showPassword;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private final Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();

        private Builder() {
        }

        /** Engine settings ({@code [main]} of comet.ini); {@link #password(String)} wins over its password. */
        public Builder engine(CometConfig v) {
            engine = Objects.requireNonNull(v, "engine");
            return this;
        }

        /**
         * Browser listener settings (replaces earlier {@link #webPort}, {@link #baseDir} calls).
         *
         * @param v the value
         * @return this builder
         */
        public Builder web(WebConfig v) {
            web = Objects.requireNonNull(v, "web").toBuilder();
            return this;
        }

        /** Browser listener port; 0 = any free port (default 8087). */
        public Builder webPort(int v) {
            web.port(v);
            return this;
        }

        /**
         * Folder served as static files ({@code [main] base_dir}); its {@code index.html} is the start page.
         *
         * @param v the value
         * @return this builder
         */
        public Builder baseDir(Path v) {
            web.baseDir(v);
            return this;
        }

        /** Address both listeners bind to (default {@code 0.0.0.0}). */
        public Builder ip(String v) {
            web.ip(v);
            cometql.ip(v);
            return this;
        }

        /**
         * Browser event-loop threads; 0 = one per core (default).
         *
         * @param v the value
         * @return this builder
         */
        public Builder webThreads(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("webThreads: " + v + " < 0");
            }
            webThreads = v;
            return this;
        }

        /**
         * CometQL listener settings; its password is replaced by {@link #password(String)}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder cometql(CometQlConfig v) {
            cometql = Objects.requireNonNull(v, "cometql").toBuilder();
            return this;
        }

        /**
         * CometQL listener port; 0 = any free port (default 3300).
         *
         * @param v the value
         * @return this builder
         */
        public Builder cometqlPort(int v) {
            cometql.port(v);
            return this;
        }

        /**
         * The CometQL password (MySQL port and {@code POST /cometql}) and JWT secret prefix. Without
         * one (here or in {@link #engine(CometConfig)}), a random password is generated at start, shown in the start log and by
         * {@link CometServer#password()}.

         *
         * @param v the value
         * @return this builder
         */
        public Builder password(String v) {
            password = Objects.requireNonNull(v, "password");
            showPassword = false;
            return this;
        }

        /**
         * Like {@link #password(String)} for a password generated for this start: shown in the start log once.
         *
         * @param v the value
         * @return this builder
         */
        public Builder generatedPassword(String v) {
            password(v);
            showPassword = true;
            return this;
        }

        /**
         * An opened store, closed with the server (default: {@link MemoryStore}, nothing survives a restart).
         *
         * @param v the value
         * @return this builder
         */
        public Builder store(Store v) {
            store = Objects.requireNonNull(v, "store");
            jdbcStore = null;
            return this;
        }

        /**
         * A {@link JdbcStore} (embedded H2, MySQL or MariaDB) opened at {@link #start()}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder jdbcStore(JdbcStoreConfig v) {
            jdbcStore = Objects.requireNonNull(v, "jdbcStore");
            store = null;
            return this;
        }

        /**
         * Several nodes as one server, sharing this Redis ({@code [redis]} of comet.ini, docs/redis.md);
         * default none: one node. The node's name is the config's {@code nodeName}.
         */
        public Builder redis(RedisBrokerConfig v) {
            redis = Objects.requireNonNull(v, "redis");
            return this;
        }

        /** Deadline of {@link CometServer#close()} (default 10 s). */
        public Builder shutdownTimeout(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("shutdownTimeout must be positive: " + v);
            }
            shutdownTimeout = v;
            return this;
        }

        /**
         * An extra HTTP endpoint on the browser port, on the exact path (see {@link HttpEndpoint}).
         *
         * @param path the exact path, e.g. {@code /api/publish}
         * @param v    the endpoint
         * @return this builder
         */
        public Builder endpoint(String path, HttpEndpoint v) {
            if (path.equals(COMETQL_HTTP_PATH)) {
                throw new IllegalArgumentException(COMETQL_HTTP_PATH + " is CometQL over HTTP");
            }
            endpoints.put(path, Objects.requireNonNull(v, "endpoint"));
            return this;
        }

        /**
         * Opens the store, builds the engine and binds both listeners; returns once they accept
         * connections.
         *
         * @return the running server
         * @throws IllegalStateException if the store cannot be opened or a listener cannot bind
         */
        public CometServer start() {
            String given = password != null ? password : engine.password();
            boolean generated = given == null;
            String pw = generated ? Stores.generatePassword() : given;
            Store s = Stores.open(store, jdbcStore);
            CometEngine eng = Stores.engine(engine.toBuilder().password(pw).build(), s, redis);
            CometQlConfig qlConfig = cometql.password(pw).build();
            WebConfig webConfig = web.build();
            // one login throttle for both doors: guesses over the MySQL port and POST /cometql count together
            AuthThrottle throttle = new AuthThrottle(qlConfig.limits(), System::nanoTime);
            CometWebServer.Builder wb = CometWebServer.builder().engine(eng).config(webConfig).threads(webThreads)
                    .endpoint(COMETQL_HTTP_PATH, new CometQlOverHttp(new CometQlHttpService(eng, qlConfig, throttle)));
            endpoints.forEach(wb::endpoint);
            CometWebServer w = wb.build();
            CometQlServer ql = CometQlServer.builder().engine(eng).config(qlConfig).authThrottle(throttle).build();
            try {
                w.start().join();
            } catch (RuntimeException e) {
                w.close();
                eng.close();
                throw Stores.bindFailure(webConfig.ip(), webConfig.port(), e);
            }
            try {
                ql.start().join();
            } catch (RuntimeException e) {
                ql.close();
                w.close();
                eng.close();
                throw Stores.bindFailure(qlConfig.ip(), qlConfig.port(), e);
            }
            CometServer server = new CometServer(eng, w, ql, pw, shutdownTimeout);
            log.info("Comet is up: HTTP/WebSocket on {}:{} (ws://{}:{}/ws/...), store {}", webConfig.ip(),
                    w.activePort(), webConfig.ip(), w.activePort(), Stores.describe(s));
            log.info("CometQL (MySQL protocol) on {}:{}, CometQL over HTTP at POST {}, node {}", qlConfig.ip(),
                    ql.activePort(), COMETQL_HTTP_PATH, webConfig.nodeName());
            log.info("Try it: open {} and publish to it with: {}", server.pageUrl(),
                    server.mysqlCommand(generated || showPassword));
            return server;
        }
    }
}
