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
import io.comet.tls.TlsFiles;
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
 * Settings of a {@link CometServer} ({@link CometServer#builder()}); {@link #start()} builds and
 * starts it. Not thread-safe.
 */
public final class CometServerBuilder {
    private static final Logger log = LoggerFactory.getLogger("io.comet.server");
    private CometConfig engine = CometConfig.DEFAULT;
    private WebConfigBuilder web = WebConfig.builder();
    private int webThreads;
    private CometQlConfig.Builder cometql = CometQlConfig.builder();
    private Store store;
    private JdbcStoreConfig jdbcStore;
    private RedisBrokerConfig redis;
    private String password;
    private boolean showPassword;
    private Duration shutdownTimeout = CometServer.DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration drainDelay = Duration.ZERO;
    private MetricsAccess metricsAccess = MetricsAccess.PASSWORD;
    private final Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();

    CometServerBuilder() {
    }

    /**
     * Engine settings ({@code [main]} of comet.ini); {@link #password(String)} wins over its password.
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder engine(CometConfig v) {
        engine = Objects.requireNonNull(v, "engine");
        return this;
    }

    /**
     * Browser listener settings (replaces earlier {@link #webPort}, {@link #baseDir} calls).
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder web(WebConfig v) {
        web = Objects.requireNonNull(v, "web").toBuilder();
        return this;
    }

    /**
     * Browser listener port; 0 = any free port (default 8087).
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder webPort(int v) {
        web.port(v);
        return this;
    }

    /**
     * Folder served as static files ({@code [main] base_dir}); its {@code index.html} is the start page.
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder baseDir(Path v) {
        web.baseDir(v);
        return this;
    }

    /**
     * Address both listeners bind to (default: {@code 0.0.0.0} for the browser port, {@code 127.0.0.1} for CometQL).
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder ip(String v) {
        web.ip(v);
        cometql.ip(v);
        return this;
    }

    /**
     * Serves the browser port over TLS (HTTPS, WSS, long-poll and {@code POST /cometql} over HTTPS)
     * with this PEM certificate chain and key ({@code [ws] tls_cert}, {@code tls_key}); null = plain (default).
     *
     * @param v the files, reloaded when they change
     * @return this builder
     */
    public CometServerBuilder webTls(TlsFiles v) {
        web.tls(v);
        return this;
    }

    /**
     * With {@link #webTls(TlsFiles)}: a plain-HTTP listener beside the TLS one on this port
     * ({@code [ws] plain_port}; 0 = any free port, -1 = none, the default).
     *
     * @param v the port
     * @return this builder
     */
    public CometServerBuilder webPlainPort(int v) {
        web.plainPort(v);
        return this;
    }

    /**
     * Browser event-loop threads; 0 = one per core (default).
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder webThreads(int v) {
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
    public CometServerBuilder cometql(CometQlConfig v) {
        cometql = Objects.requireNonNull(v, "cometql").toBuilder();
        return this;
    }

    /**
     * CometQL listener port; 0 = any free port (default 3300).
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder cometqlPort(int v) {
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
    public CometServerBuilder password(String v) {
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
    public CometServerBuilder generatedPassword(String v) {
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
    public CometServerBuilder store(Store v) {
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
    public CometServerBuilder jdbcStore(JdbcStoreConfig v) {
        jdbcStore = Objects.requireNonNull(v, "jdbcStore");
        store = null;
        return this;
    }

    /**
     * Several nodes as one server, sharing this Redis ({@code [redis]} of comet.ini, docs/redis.md);
     * default none: one node. The node's name is the web config's {@code nodeName}.
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder redis(RedisBrokerConfig v) {
        redis = Objects.requireNonNull(v, "redis");
        return this;
    }

    /**
     * Deadline of {@link CometServer#close()} (default 10 s).
     *
     * @param v the value
     * @return this builder
     */
    public CometServerBuilder shutdownTimeout(Duration v) {
        if (v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException("shutdownTimeout must be positive: " + v);
        }
        shutdownTimeout = v;
        return this;
    }

    /**
     * How long {@link CometServer#close()} keeps serving after {@code GET /ready} turned 503, so
     * that load balancers stop sending new tabs before the listeners close (default 0; part of
     * {@link #shutdownTimeout(Duration)}, so it must be shorter).
     *
     * @param v the delay
     * @return this builder
     */
    public CometServerBuilder drainDelay(Duration v) {
        if (v.isNegative()) {
            throw new IllegalArgumentException("drainDelay must not be negative: " + v);
        }
        drainDelay = v;
        return this;
    }

    /**
     * Who may read {@code GET /metrics} (Prometheus text; default {@link MetricsAccess#PASSWORD}, the
     * CometQL password as for {@code POST /cometql}).
     *
     * @param v the access
     * @return this builder
     */
    public CometServerBuilder metrics(MetricsAccess v) {
        metricsAccess = Objects.requireNonNull(v, "metrics");
        return this;
    }

    /**
     * An extra HTTP endpoint on the browser port, on the exact path (see {@link HttpEndpoint}).
     *
     * @param path the exact path, e.g. {@code /api/publish}
     * @param v    the endpoint
     * @return this builder
     */
    public CometServerBuilder endpoint(String path, HttpEndpoint v) {
        if (path.equals(CometServer.COMETQL_HTTP_PATH)) {
            throw new IllegalArgumentException(CometServer.COMETQL_HTTP_PATH + " is CometQL over HTTP");
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
        if (drainDelay.compareTo(shutdownTimeout) >= 0) {
            throw new IllegalArgumentException("drainDelay " + drainDelay + " must be shorter than shutdownTimeout " + shutdownTimeout);
        }
        String given = password != null ? password : engine.password();
        boolean generated = given == null;
        String pw = generated ? Stores.generatePassword() : given;
        Metrics metrics = new Metrics();
        Store raw = Stores.open(store, jdbcStore);
        Store s = MeteredStore.wrap(raw, metrics.registry());
        CometEngine eng = Stores.engine(engine.toBuilder().password(pw).build(), s, redis);
        CometQlConfig qlConfig = cometql.password(pw).build();
        WebConfig webConfig = web.build();
        // one login throttle for both doors: guesses over the MySQL port and POST /cometql count together
        AuthThrottle throttle = new AuthThrottle(qlConfig.limits(), System::nanoTime);
        Health health = new Health(s);
        CometQlHttpService overHttp = new CometQlHttpService(eng, qlConfig, throttle);
        overHttp.observer(metrics.queryObserver());
        CometWebServer.Builder wb = CometWebServer.builder().engine(eng).config(webConfig).threads(webThreads)
                .deliveryObserver(metrics.deliveryObserver())
                .endpoint(CometServer.COMETQL_HTTP_PATH, new CometQlOverHttp(overHttp))
                .endpoint(Health.HEALTH_PATH, health.health()).endpoint(Health.READY_PATH, health.ready());
        if (metricsAccess != MetricsAccess.OFF) {
            wb.endpoint(MetricsEndpoint.PATH, new MetricsEndpoint(metrics, metricsAccess, pw));
        }
        endpoints.forEach(wb::endpoint);
        CometWebServer w;
        CometQlServer ql;
        try {
            w = wb.build();
        } catch (RuntimeException e) {
            eng.close();
            throw e; // e.g. bad certificate files, named in the message
        }
        try {
            ql = CometQlServer.builder().engine(eng).config(qlConfig).authThrottle(throttle).build();
        } catch (RuntimeException e) {
            w.close();
            eng.close();
            throw e;
        }
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
        metrics.bind(eng, w, ql, throttle);
        CometServer server = new CometServer(eng, w, ql, pw, shutdownTimeout, health, drainDelay, metrics.meterRegistry());
        String scheme = w.secure() ? "wss" : "ws";
        log.info("Comet is up: {} on {}:{} ({}://{}:{}/ws/...){}, store {}", w.secure() ? "HTTPS/WSS" : "HTTP/WebSocket",
                webConfig.ip(), w.activePort(), scheme, webConfig.ip(), w.activePort(),
                w.plainPort() < 0 ? "" : ", plain HTTP/WebSocket on " + webConfig.ip() + ":" + w.plainPort(), Stores.describe(raw));
        log.info("CometQL (MySQL protocol) on {}:{}, CometQL over HTTP at POST {}, node {}", qlConfig.ip(),
                ql.activePort(), CometServer.COMETQL_HTTP_PATH, webConfig.nodeName());
        log.info("Try it: open {} and publish to it with: {}", server.pageUrl(),
                server.mysqlCommand(generated || showPassword));
        return server;
    }
}
