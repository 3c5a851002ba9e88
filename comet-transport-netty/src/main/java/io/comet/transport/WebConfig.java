package io.comet.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of the browser-facing listener ({@code [ws]} and the HTTP parts of
 * {@code [main]} in comet.ini): address, Origin allow-list, static files, keepalive, frame and
 * outbound limits, long-poll. Every value has a default, so {@link #DEFAULT} runs as is.
 *
 * <pre>{@code
 * WebConfig cfg = WebConfig.builder().port(0).hosts(List.of("example.com")).build();
 * }</pre>
 */
public final class WebConfig {

    public static final String DEFAULT_IP = "0.0.0.0";
    public static final int DEFAULT_PORT = 8087;
    public static final int DEFAULT_MAX_FRAME_PAYLOAD = 65_535;
    public static final int DEFAULT_OUTBOUND_HIGH_WATER_MARK = 1 << 20;
    public static final long DEFAULT_DELIVERY_BUDGET = 64L << 20;
    public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UPTIME_CHECK_INTERVAL = Duration.ofSeconds(600);
    public static final Duration DEFAULT_LONG_POLL_TIMEOUT = Duration.ofSeconds(25);
    public static final Duration DEFAULT_LONG_POLL_SESSION_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_LONG_POLL_MAX_QUEUED = 1000;
    public static final int DEFAULT_MAX_HTTP_BODY = 1 << 20;
    public static final Duration DEFAULT_HTTP_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final String DEFAULT_NODE_NAME = "comet";
    /**
     * Asks for a long accept queue; Linux caps it at {@code net.core.somaxconn} (4,096 by
     * default), so it follows what the host allows. A reconnect storm brings every client back
     * at once: with a short queue the kernel drops their handshakes and each one waits a 1 s
     * SYN retransmission (the connect bench measured 12,058 queue overflows with 1,024).
     */
    public static final int DEFAULT_BACKLOG = 65_535;
    public static final String DEFAULT_FAVICON_URL = "https://comet-server.com/favicon.ico";

    /** The defaults. */
    public static final WebConfig DEFAULT = builder().build();

    private final String ip;
    private final int port;
    private final List<String> hosts;
    private final Path baseDir;
    private final Map<String, String> contentTypes;
    private final long maxUptimeSeconds;
    private final Duration uptimeCheckInterval;
    private final int pingIntervalSeconds;
    private final int maxFramePayload;
    private final int outboundHighWaterMark;
    private final Duration slowConsumerTimeout;
    private final long deliveryBudget;
    private final Duration longPollTimeout;
    private final Duration longPollSessionTimeout;
    private final int longPollMaxQueued;
    private final int maxHttpBody;
    private final Duration httpIdleTimeout;
    private final String nodeName;
    private final String faviconUrl;
    private final int socketSendBuffer;
    private final boolean nativeTransport;
    private final int backlog;
    private final WebLimits limits;

    private WebConfig(Builder b) {
        limits = b.limits;
        ip = b.ip;
        port = b.port;
        hosts = List.copyOf(b.hosts);
        baseDir = b.baseDir;
        contentTypes = Collections.unmodifiableMap(new LinkedHashMap<>(b.contentTypes));
        maxUptimeSeconds = b.maxUptimeSeconds;
        uptimeCheckInterval = b.uptimeCheckInterval;
        pingIntervalSeconds = b.pingIntervalSeconds;
        maxFramePayload = b.maxFramePayload;
        outboundHighWaterMark = b.outboundHighWaterMark;
        slowConsumerTimeout = b.slowConsumerTimeout;
        deliveryBudget = b.deliveryBudget;
        longPollTimeout = b.longPollTimeout;
        longPollSessionTimeout = b.longPollSessionTimeout;
        longPollMaxQueued = b.longPollMaxQueued;
        maxHttpBody = b.maxHttpBody;
        httpIdleTimeout = b.httpIdleTimeout;
        nodeName = b.nodeName;
        faviconUrl = b.faviconUrl;
        socketSendBuffer = b.socketSendBuffer;
        nativeTransport = b.nativeTransport;
        backlog = b.backlog;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ip = ip;
        b.port = port;
        b.hosts = new ArrayList<>(hosts);
        b.baseDir = baseDir;
        b.contentTypes = new LinkedHashMap<>(contentTypes);
        b.maxUptimeSeconds = maxUptimeSeconds;
        b.uptimeCheckInterval = uptimeCheckInterval;
        b.pingIntervalSeconds = pingIntervalSeconds;
        b.maxFramePayload = maxFramePayload;
        b.outboundHighWaterMark = outboundHighWaterMark;
        b.slowConsumerTimeout = slowConsumerTimeout;
        b.deliveryBudget = deliveryBudget;
        b.longPollTimeout = longPollTimeout;
        b.longPollSessionTimeout = longPollSessionTimeout;
        b.longPollMaxQueued = longPollMaxQueued;
        b.maxHttpBody = maxHttpBody;
        b.httpIdleTimeout = httpIdleTimeout;
        b.nodeName = nodeName;
        b.faviconUrl = faviconUrl;
        b.socketSendBuffer = socketSendBuffer;
        b.nativeTransport = nativeTransport;
        b.backlog = backlog;
        b.limits = limits;
        return b;
    }

    /** Deadlines of partial input and connection limits. */
    public WebLimits limits() {
        return limits;
    }

    /** {@code [ws] ip}: address to bind. */
    public String ip() {
        return ip;
    }

    /** {@code [ws] port}: 0 binds an ephemeral port (see {@link CometWebServer#activePort()}). */
    public int port() {
        return port;
    }

    /** {@code [ws] host}: allowed Origin hosts ({@code host} or {@code host:port}); empty = no check. */
    public List<String> hosts() {
        return hosts;
    }

    /** {@code [main] base_dir}: root of static files, {@code null} = no static files. */
    public Path baseDir() {
        return baseDir;
    }

    /** {@code [content-type]}: file extension (lower case, no dot) to MIME type. */
    public Map<String, String> contentTypes() {
        return contentTypes;
    }

    /** {@code [ws] maxUptime}: connections older than this are dropped abruptly; 0 = off. */
    public long maxUptimeSeconds() {
        return maxUptimeSeconds;
    }

    /** {@code [ws] uptimeTestInterval}: how often {@link #maxUptimeSeconds()} is checked. */
    public Duration uptimeCheckInterval() {
        return uptimeCheckInterval;
    }

    /** Seconds between WebSocket ping frames to each client; 0 = never (the original). */
    public int pingIntervalSeconds() {
        return pingIntervalSeconds;
    }

    /** Largest inbound and outbound WebSocket payload; bigger inbound frames are closed with 1009. */
    public int maxFramePayload() {
        return maxFramePayload;
    }

    /**
     * Bytes a connection may have pending for writing; a message that would exceed it is not
     * dropped silently: the connection is closed abruptly and the client reconnects.
     */
    public int outboundHighWaterMark() {
        return outboundHighWaterMark;
    }

    /**
     * Server-wide bytes accepted for WebSocket delivery and not yet written to the sockets above
     * which publishers are pushed back: CometQL acknowledges {@code INSERT}s only once the
     * backlog is under this budget.
     */
    public long deliveryBudget() {
        return deliveryBudget;
    }

    /**
     * How long a connection's socket may take none of its pending bytes (backlogged) before it is
     * disconnected; when the {@link #deliveryBudget()} is exhausted, connections backlogged for a
     * tenth of this are disconnected at once.
     */
    public Duration slowConsumerTimeout() {
        return slowConsumerTimeout;
    }

    /** How long a long-poll request is held when nothing is pending. */
    public Duration longPollTimeout() {
        return longPollTimeout;
    }

    /** A long-poll session ends when no poll arrives this long after the last response. */
    public Duration longPollSessionTimeout() {
        return longPollSessionTimeout;
    }

    /** Messages buffered per long-poll session; overflow ends the session. */
    public int longPollMaxQueued() {
        return longPollMaxQueued;
    }

    /** Largest HTTP request body (long-poll commands, {@link HttpEndpoint}s). */
    public int maxHttpBody() {
        return maxHttpBody;
    }

    /**
     * A plain HTTP connection (before any WebSocket upgrade) that sends nothing for this long is
     * closed; must exceed {@link #longPollTimeout()}. WebSocket connections have no idle timeout
     * (the original has none, §4.12).
     */
    public Duration httpIdleTimeout() {
        return httpIdleTimeout;
    }

    /** {@code [main] node_name} reported by {@code /info} (cut/padded to 10 chars). */
    public String nodeName() {
        return nodeName;
    }

    /** Where {@code /favicon.ico} redirects. */
    public String faviconUrl() {
        return faviconUrl;
    }

    /** {@code SO_SNDBUF} of accepted sockets; 0 = the OS default. */
    public int socketSendBuffer() {
        return socketSendBuffer;
    }

    /** Use native epoll when it is available (Linux x86_64); otherwise, or when false, NIO. */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    /** Listen backlog of the server socket ({@code [ws] backlog}; the OS caps it, on Linux at {@code net.core.somaxconn}). */
    public int backlog() {
        return backlog;
    }

    @Override
    public String toString() {
        return "WebConfig{nativeTransport=" + nativeTransport + ", ip=" + ip + ", port=" + port + ", hosts=" + (hosts.isEmpty() ? "*" : hosts)
                + ", baseDir=" + baseDir + ", contentTypes=" + contentTypes.keySet()
                + ", maxUptimeSeconds=" + maxUptimeSeconds + ", uptimeCheckInterval=" + uptimeCheckInterval
                + ", pingIntervalSeconds=" + pingIntervalSeconds + ", maxFramePayload=" + maxFramePayload
                + ", outboundHighWaterMark=" + outboundHighWaterMark + ", deliveryBudget=" + deliveryBudget
                + ", slowConsumerTimeout=" + slowConsumerTimeout
                + ", longPollTimeout=" + longPollTimeout + ", longPollSessionTimeout=" + longPollSessionTimeout
                + ", longPollMaxQueued=" + longPollMaxQueued + ", maxHttpBody=" + maxHttpBody
                + ", httpIdleTimeout=" + httpIdleTimeout
                + ", nodeName=" + nodeName + ", backlog=" + backlog + ", limits=" + limits + "}";
    }

    /** Builder of {@link WebConfig}; {@link #build()} validates every value. */
    public static final class Builder {
        private String ip = DEFAULT_IP;
        private int port = DEFAULT_PORT;
        private List<String> hosts = new ArrayList<>();
        private Path baseDir;
        private Map<String, String> contentTypes = defaultContentTypes();
        private long maxUptimeSeconds;
        private Duration uptimeCheckInterval = DEFAULT_UPTIME_CHECK_INTERVAL;
        private int pingIntervalSeconds;
        private int maxFramePayload = DEFAULT_MAX_FRAME_PAYLOAD;
        private int outboundHighWaterMark = DEFAULT_OUTBOUND_HIGH_WATER_MARK;
        private Duration slowConsumerTimeout = DEFAULT_SLOW_CONSUMER_TIMEOUT;
        private long deliveryBudget = DEFAULT_DELIVERY_BUDGET;
        private Duration longPollTimeout = DEFAULT_LONG_POLL_TIMEOUT;
        private Duration longPollSessionTimeout = DEFAULT_LONG_POLL_SESSION_TIMEOUT;
        private int longPollMaxQueued = DEFAULT_LONG_POLL_MAX_QUEUED;
        private int maxHttpBody = DEFAULT_MAX_HTTP_BODY;
        private Duration httpIdleTimeout = DEFAULT_HTTP_IDLE_TIMEOUT;
        private String nodeName = DEFAULT_NODE_NAME;
        private String faviconUrl = DEFAULT_FAVICON_URL;
        private int socketSendBuffer;
        private boolean nativeTransport = true;
        private int backlog = DEFAULT_BACKLOG;
        private WebLimits limits = WebLimits.DEFAULT;

        private Builder() {
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

        /** Address to bind (default {@value #DEFAULT_IP}). */
        public Builder ip(String v) {
            ip = Objects.requireNonNull(v, "ip");
            return this;
        }

        /** Port to bind, 0 = ephemeral (default {@value #DEFAULT_PORT}). */
        public Builder port(int v) {
            port = v;
            return this;
        }

        /** Allowed Origin hosts; {@code *} or an empty list disables the check (default). */
        public Builder hosts(List<String> v) {
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
        public Builder baseDir(Path v) {
            baseDir = v;
            return this;
        }

        /** Replaces the extension → MIME type map (default: html, js, css, json, txt, images). */
        public Builder contentTypes(Map<String, String> v) {
            Map<String, String> m = new LinkedHashMap<>();
            Objects.requireNonNull(v, "contentTypes").forEach((k, t) -> m.put(k.toLowerCase(Locale.ROOT), t));
            contentTypes = m;
            return this;
        }

        /** Adds or replaces one extension's MIME type. */
        public Builder contentType(String extension, String type) {
            contentTypes.put(extension.toLowerCase(Locale.ROOT), Objects.requireNonNull(type, "type"));
            return this;
        }

        /** Drop connections older than this many seconds; 0 = off (default). */
        public Builder maxUptimeSeconds(long v) {
            maxUptimeSeconds = v;
            return this;
        }

        /** Period of the max-uptime check (default 600 s). */
        public Builder uptimeCheckInterval(Duration v) {
            uptimeCheckInterval = Objects.requireNonNull(v, "uptimeCheckInterval");
            return this;
        }

        /** WebSocket ping period in seconds; 0 = off (default). */
        public Builder pingIntervalSeconds(int v) {
            pingIntervalSeconds = v;
            return this;
        }

        /** Largest WebSocket payload (default {@value #DEFAULT_MAX_FRAME_PAYLOAD}). */
        public Builder maxFramePayload(int v) {
            maxFramePayload = v;
            return this;
        }

        /**
         * Outbound bytes pending per connection before it is dropped as a slow consumer (default
         * 1 MiB). Memory as a whole is bounded by {@link #deliveryBudget(long)}; this mark only
         * decides how far behind one connection may fall before it is made to reconnect.
         */
        public Builder outboundHighWaterMark(int v) {
            outboundHighWaterMark = v;
            return this;
        }

        /** Server-wide pending delivery bytes above which publishers wait (default 64 MiB). */
        public Builder deliveryBudget(long v) {
            deliveryBudget = v;
            return this;
        }

        /** Time above half the high-water mark before disconnect (default 10 s). */
        public Builder slowConsumerTimeout(Duration v) {
            slowConsumerTimeout = Objects.requireNonNull(v, "slowConsumerTimeout");
            return this;
        }

        /** Hold time of an empty long-poll (default 25 s). */
        public Builder longPollTimeout(Duration v) {
            longPollTimeout = Objects.requireNonNull(v, "longPollTimeout");
            return this;
        }

        /** Long-poll session expiry after the last response (default 60 s). */
        public Builder longPollSessionTimeout(Duration v) {
            longPollSessionTimeout = Objects.requireNonNull(v, "longPollSessionTimeout");
            return this;
        }

        /** Messages buffered per long-poll session (default {@value #DEFAULT_LONG_POLL_MAX_QUEUED}). */
        public Builder longPollMaxQueued(int v) {
            longPollMaxQueued = v;
            return this;
        }

        /** Largest HTTP request body (default 1 MiB). */
        public Builder maxHttpBody(int v) {
            maxHttpBody = v;
            return this;
        }

        /** Idle time after which a plain HTTP connection is closed (default 60 s, must exceed the long-poll timeout). */
        public Builder httpIdleTimeout(Duration v) {
            httpIdleTimeout = Objects.requireNonNull(v, "httpIdleTimeout");
            return this;
        }

        /** Node name for {@code /info} (default {@value #DEFAULT_NODE_NAME}). */
        public Builder nodeName(String v) {
            nodeName = Objects.requireNonNull(v, "nodeName");
            return this;
        }

        /** Redirect target of {@code /favicon.ico}. */
        public Builder faviconUrl(String v) {
            faviconUrl = Objects.requireNonNull(v, "faviconUrl");
            return this;
        }

        /** {@code SO_SNDBUF} of accepted sockets, 0 = OS default (default). */
        public Builder socketSendBuffer(int v) {
            socketSendBuffer = v;
            return this;
        }

        /** Listen backlog of the server socket (default {@value WebConfig#DEFAULT_BACKLOG}). */
        public Builder backlog(int v) {
            backlog = v;
            return this;
        }

        /** Changes the limits set so far (e.g. one key of a config file). */
        public Builder limits(java.util.function.UnaryOperator<WebLimits.Builder> change) {
            limits = change.apply(limits.toBuilder()).build();
            return this;
        }

        /** Deadlines of partial input and connection limits (default {@link WebLimits#DEFAULT}). */
        public Builder limits(WebLimits v) {
            limits = Objects.requireNonNull(v, "limits");
            return this;
        }

        /** Use native epoll when available (default true); false forces NIO. */
        public Builder nativeTransport(boolean v) {
            nativeTransport = v;
            return this;
        }

        /** Validates and builds. */
        public WebConfig build() {
            check(port >= 0 && port <= 65_535, "port: " + port + " (expected: 0..65535)");
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
}
