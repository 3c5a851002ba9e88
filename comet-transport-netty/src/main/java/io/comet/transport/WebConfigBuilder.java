package io.comet.transport;

import static io.comet.transport.WebConfig.DEFAULT_BACKLOG;
import static io.comet.transport.WebConfig.DEFAULT_DELIVERY_BUDGET;
import static io.comet.transport.WebConfig.DEFAULT_FAVICON_URL;
import static io.comet.transport.WebConfig.DEFAULT_HTTP_IDLE_TIMEOUT;
import static io.comet.transport.WebConfig.DEFAULT_IP;
import static io.comet.transport.WebConfig.DEFAULT_LONG_POLL_MAX_QUEUED;
import static io.comet.transport.WebConfig.DEFAULT_LONG_POLL_SESSION_TIMEOUT;
import static io.comet.transport.WebConfig.DEFAULT_LONG_POLL_TIMEOUT;
import static io.comet.transport.WebConfig.DEFAULT_MAX_FRAME_PAYLOAD;
import static io.comet.transport.WebConfig.DEFAULT_MAX_HTTP_BODY;
import static io.comet.transport.WebConfig.DEFAULT_NODE_NAME;
import static io.comet.transport.WebConfig.DEFAULT_OUTBOUND_HIGH_WATER_MARK;
import static io.comet.transport.WebConfig.DEFAULT_PORT;
import static io.comet.transport.WebConfig.DEFAULT_SLOW_CONSUMER_TIMEOUT;
import static io.comet.transport.WebConfig.DEFAULT_UPTIME_CHECK_INTERVAL;

import io.comet.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builder of {@link WebConfig} ({@link WebConfig#builder()}, {@link WebConfig#toBuilder()});
 * {@link #build()} validates every value. Not thread-safe. The fields are package-private for
 * {@link WebConfig#toBuilder()}.
 */
public final class WebConfigBuilder {
    String ip = DEFAULT_IP;
    int port = DEFAULT_PORT;
    List<String> hosts = new ArrayList<>();
    Path baseDir;
    Map<String, String> contentTypes = defaultContentTypes();
    long maxUptimeSeconds;
    Duration uptimeCheckInterval = DEFAULT_UPTIME_CHECK_INTERVAL;
    int pingIntervalSeconds;
    int maxFramePayload = DEFAULT_MAX_FRAME_PAYLOAD;
    int outboundHighWaterMark = DEFAULT_OUTBOUND_HIGH_WATER_MARK;
    Duration slowConsumerTimeout = DEFAULT_SLOW_CONSUMER_TIMEOUT;
    long deliveryBudget = DEFAULT_DELIVERY_BUDGET;
    Duration longPollTimeout = DEFAULT_LONG_POLL_TIMEOUT;
    Duration longPollSessionTimeout = DEFAULT_LONG_POLL_SESSION_TIMEOUT;
    int longPollMaxQueued = DEFAULT_LONG_POLL_MAX_QUEUED;
    int maxHttpBody = DEFAULT_MAX_HTTP_BODY;
    Duration httpIdleTimeout = DEFAULT_HTTP_IDLE_TIMEOUT;
    String nodeName = DEFAULT_NODE_NAME;
    String faviconUrl = DEFAULT_FAVICON_URL;
    int socketSendBuffer;
    boolean nativeTransport = true;
    int backlog = DEFAULT_BACKLOG;
    WebLimits limits = WebLimits.DEFAULT;
    TlsFiles tls;
    int plainPort = -1;

    WebConfigBuilder() {
    }

    private static Map<String, String> defaultContentTypes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("html", "text/html");
        m.put("htm", "text/html");
        m.put("js", "application/javascript");
        m.put("css", "text/css");
        m.put("json", "application/json");
        m.put("txt", "text/plain");
        m.put("svg", "image/svg+xml");
        m.put("png", "image/png");
        m.put("jpg", "image/jpeg");
        m.put("jpeg", "image/jpeg");
        m.put("gif", "image/gif");
        m.put("ico", "image/x-icon");
        return m;
    }

    /** Address to bind (default {@value WebConfig#DEFAULT_IP}). */
    public WebConfigBuilder ip(String v) {
        ip = Objects.requireNonNull(v, "ip");
        return this;
    }

    /** Port to bind, 0 = ephemeral (default {@value WebConfig#DEFAULT_PORT}). */
    public WebConfigBuilder port(int v) {
        port = v;
        return this;
    }

    /** Allowed Origin hosts; {@code *} or an empty list disables the check (default). */
    public WebConfigBuilder hosts(List<String> v) {
        List<String> out = new ArrayList<>();
        for (String h : Objects.requireNonNull(v, "hosts")) {
            String t = h.trim().toLowerCase(Locale.ROOT);
            if (t.equals("*")) {
                out.clear();
                hosts = out;
                return this;
            }
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        hosts = out;
        return this;
    }

    /** Root folder of static files (default none). */
    public WebConfigBuilder baseDir(Path v) {
        baseDir = v;
        return this;
    }

    /** Replaces the extension → MIME type map (default: html, js, css, json, txt, images). */
    public WebConfigBuilder contentTypes(Map<String, String> v) {
        Map<String, String> m = new LinkedHashMap<>();
        Objects.requireNonNull(v, "contentTypes").forEach((k, t) -> m.put(k.toLowerCase(Locale.ROOT), t));
        contentTypes = m;
        return this;
    }

    /** Adds or replaces one extension's MIME type. */
    public WebConfigBuilder contentType(String extension, String type) {
        contentTypes.put(extension.toLowerCase(Locale.ROOT), Objects.requireNonNull(type, "type"));
        return this;
    }

    /** Drop connections older than this many seconds; 0 = off (default). */
    public WebConfigBuilder maxUptimeSeconds(long v) {
        maxUptimeSeconds = v;
        return this;
    }

    /** Period of the max-uptime check (default 600 s). */
    public WebConfigBuilder uptimeCheckInterval(Duration v) {
        uptimeCheckInterval = Objects.requireNonNull(v, "uptimeCheckInterval");
        return this;
    }

    /** WebSocket ping period in seconds; 0 = off (default). */
    public WebConfigBuilder pingIntervalSeconds(int v) {
        pingIntervalSeconds = v;
        return this;
    }

    /** Largest WebSocket payload (default {@value WebConfig#DEFAULT_MAX_FRAME_PAYLOAD}). */
    public WebConfigBuilder maxFramePayload(int v) {
        maxFramePayload = v;
        return this;
    }

    /**
     * Outbound bytes pending per connection before it is dropped as a slow consumer (default
     * 1 MiB). Memory as a whole is bounded by {@link #deliveryBudget(long)}; this mark only
     * decides how far behind one connection may fall before it is made to reconnect.
     */
    public WebConfigBuilder outboundHighWaterMark(int v) {
        outboundHighWaterMark = v;
        return this;
    }

    /** Server-wide pending delivery bytes above which publishers wait (default 64 MiB). */
    public WebConfigBuilder deliveryBudget(long v) {
        deliveryBudget = v;
        return this;
    }

    /** Time above half the high-water mark before disconnect (default 10 s). */
    public WebConfigBuilder slowConsumerTimeout(Duration v) {
        slowConsumerTimeout = Objects.requireNonNull(v, "slowConsumerTimeout");
        return this;
    }

    /** Hold time of an empty long-poll (default 25 s). */
    public WebConfigBuilder longPollTimeout(Duration v) {
        longPollTimeout = Objects.requireNonNull(v, "longPollTimeout");
        return this;
    }

    /** Long-poll session expiry after the last response (default 60 s). */
    public WebConfigBuilder longPollSessionTimeout(Duration v) {
        longPollSessionTimeout = Objects.requireNonNull(v, "longPollSessionTimeout");
        return this;
    }

    /** Messages buffered per long-poll session (default {@value WebConfig#DEFAULT_LONG_POLL_MAX_QUEUED}). */
    public WebConfigBuilder longPollMaxQueued(int v) {
        longPollMaxQueued = v;
        return this;
    }

    /** Largest HTTP request body (default 1 MiB). */
    public WebConfigBuilder maxHttpBody(int v) {
        maxHttpBody = v;
        return this;
    }

    /** Idle time after which a plain HTTP connection is closed (default 60 s, must exceed the long-poll timeout). */
    public WebConfigBuilder httpIdleTimeout(Duration v) {
        httpIdleTimeout = Objects.requireNonNull(v, "httpIdleTimeout");
        return this;
    }

    /** Node name for {@code /info} (default {@value WebConfig#DEFAULT_NODE_NAME}). */
    public WebConfigBuilder nodeName(String v) {
        nodeName = Objects.requireNonNull(v, "nodeName");
        return this;
    }

    /** Redirect target of {@code /favicon.ico}. */
    public WebConfigBuilder faviconUrl(String v) {
        faviconUrl = Objects.requireNonNull(v, "faviconUrl");
        return this;
    }

    /** {@code SO_SNDBUF} of accepted sockets, 0 = OS default (default). */
    public WebConfigBuilder socketSendBuffer(int v) {
        socketSendBuffer = v;
        return this;
    }

    /** Listen backlog of the server socket (default {@value WebConfig#DEFAULT_BACKLOG}). */
    public WebConfigBuilder backlog(int v) {
        backlog = v;
        return this;
    }

    /** Changes the limits set so far (e.g. one key of a config file). */
    public WebConfigBuilder limits(java.util.function.UnaryOperator<WebLimits.Builder> change) {
        limits = change.apply(limits.toBuilder()).build();
        return this;
    }

    /** Deadlines of partial input and connection limits (default {@link WebLimits#DEFAULT}). */
    public WebConfigBuilder limits(WebLimits v) {
        limits = Objects.requireNonNull(v, "limits");
        return this;
    }

    /** Use native epoll when available (default true); false forces NIO. */
    public WebConfigBuilder nativeTransport(boolean v) {
        nativeTransport = v;
        return this;
    }

    /**
     * Serves {@link #port(int)} over TLS (HTTPS, WSS, long-poll over HTTPS) with these PEM files
     * ({@code [ws] tls_cert}, {@code tls_key}); null (default) = plain HTTP.
     */
    public WebConfigBuilder tls(TlsFiles v) {
        tls = v;
        return this;
    }

    /**
     * With {@link #tls(TlsFiles)}: a second, plain-HTTP listener on this port beside the TLS one
     * ({@code [ws] plain_port}; 0 = any free port); -1 (default) = none. Ignored without TLS.
     */
    public WebConfigBuilder plainPort(int v) {
        plainPort = v;
        return this;
    }

    /** Validates and builds. */
    public WebConfig build() {
        check(port >= 0 && port <= 65_535, "port: " + port + " (expected: 0..65535)");
        check(plainPort >= -1 && plainPort <= 65_535, "plainPort: " + plainPort + " (expected: -1 (none) or 0..65535)");
        check(plainPort <= 0 || tls == null || plainPort != port, "plainPort: " + plainPort + " is the TLS port");
        check(maxUptimeSeconds >= 0, "maxUptimeSeconds: " + maxUptimeSeconds + " (expected: >= 0)");
        check(!uptimeCheckInterval.isNegative() && !uptimeCheckInterval.isZero(),
                "uptimeCheckInterval: " + uptimeCheckInterval + " (expected: > 0)");
        check(pingIntervalSeconds >= 0, "pingIntervalSeconds: " + pingIntervalSeconds + " (expected: >= 0)");
        check(maxFramePayload >= 125, "maxFramePayload: " + maxFramePayload + " (expected: >= 125)");
        check(outboundHighWaterMark >= 1024, "outboundHighWaterMark: " + outboundHighWaterMark + " (expected: >= 1024)");
        check(deliveryBudget >= outboundHighWaterMark, "deliveryBudget: " + deliveryBudget
                + " (expected: >= outboundHighWaterMark " + outboundHighWaterMark + ")");
        check(!slowConsumerTimeout.isNegative(), "slowConsumerTimeout: " + slowConsumerTimeout + " (expected: >= 0)");
        check(longPollTimeout.toMillis() > 0, "longPollTimeout: " + longPollTimeout + " (expected: > 0)");
        check(longPollSessionTimeout.toMillis() > 0,
                "longPollSessionTimeout: " + longPollSessionTimeout + " (expected: > 0)");
        check(longPollMaxQueued > 0, "longPollMaxQueued: " + longPollMaxQueued + " (expected: > 0)");
        check(httpIdleTimeout.compareTo(longPollTimeout) > 0, "httpIdleTimeout: " + httpIdleTimeout
                + " (expected: > longPollTimeout " + longPollTimeout + ")");
        check(maxHttpBody > 0, "maxHttpBody: " + maxHttpBody + " (expected: > 0)");
        check(backlog >= 1, "backlog: " + backlog + " (expected: >= 1)");
        check(socketSendBuffer >= 0, "socketSendBuffer: " + socketSendBuffer + " (expected: >= 0)");
        return new WebConfig(this);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
