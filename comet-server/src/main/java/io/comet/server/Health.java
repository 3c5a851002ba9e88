package io.comet.server;

import io.comet.core.store.Store;
import io.comet.transport.HttpEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health} and {@code GET /ready} on the browser port, without credentials, for load
 * balancers and orchestrators. Health: the process answers HTTP (200 {@code {"status":"up"}}).
 * Readiness: the store answers a ping within {@link #PING_TIMEOUT} and no drain has started (200
 * {@code {"status":"ready"}}, else 503 with the reason), so a balancer stops sending new tabs as
 * soon as a graceful stop begins, before the listeners close. Thread-safe.
 */
final class Health {

    static final String HEALTH_PATH = "/health";
    static final String READY_PATH = "/ready";
    /** How long {@code /ready} waits for the store. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger("io.comet.server.health");
    private static final String JSON = "application/json; charset=UTF-8";

    private final Store store;
    private volatile boolean draining;
    private volatile boolean lastReady = true;

    Health(Store store) {
        this.store = store;
    }

    /** From now on {@code /ready} answers 503 {@code draining}. */
    void startDrain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    HttpEndpoint health() {
        return request -> CompletableFuture.completedFuture(request.method().equals("GET")
                ? new HttpEndpoint.Response(200, JSON, bytes("{\"status\":\"up\"}")) : notGet());
    }

    HttpEndpoint ready() {
        return request -> {
            if (!request.method().equals("GET")) {
                return CompletableFuture.completedFuture(notGet());
            }
            if (draining) {
                return CompletableFuture.completedFuture(answer(false, "draining", "{\"status\":\"draining\"}"));
            }
            return store.ping().orTimeout(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).handle((ok, e) -> e == null
                    ? answer(true, "ready", "{\"status\":\"ready\",\"store\":\"up\"}")
                    : answer(false, "store unreachable (" + e + ")", "{\"status\":\"not ready\",\"store\":\"down\"}"));
        };
    }

    /** The response; a change of readiness is logged once (not every probe). */
    private HttpEndpoint.Response answer(boolean ready, String why, String json) {
        if (ready != lastReady) {
            lastReady = ready;
            if (ready) {
                log.info("ready again");
            } else {
                log.warn("not ready: {}", why);
            }
        }
        return new HttpEndpoint.Response(ready ? 200 : 503, JSON, bytes(json));
    }

    private static HttpEndpoint.Response notGet() {
        return new HttpEndpoint.Response(405, JSON, bytes("{\"error\":\"use GET\"}"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
