package io.comet.transport;

import io.comet.tls.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final TlsFiles tls;
    private final int plainPort;

    WebConfig(WebConfigBuilder b) {
        tls = b.tls;
        plainPort = b.tls == null ? -1 : b.plainPort;
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
    public static WebConfigBuilder builder() {
        return new WebConfigBuilder();
    }

    /** A builder initialised from this config. */
    public WebConfigBuilder toBuilder() {
        WebConfigBuilder b = new WebConfigBuilder();
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
        b.tls = tls;
        b.plainPort = plainPort;
        return b;
    }

    /** {@code [ws] tls_cert}, {@code tls_key}: the PEM files of {@link #port()}, or null when it is plain HTTP. */
    public TlsFiles tls() {
        return tls;
    }

    /** {@code [ws] plain_port}: the plain-HTTP listener beside the TLS one, -1 when none (always -1 without TLS). */
    public int plainPort() {
        return plainPort;
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
                + ", nodeName=" + nodeName + ", backlog=" + backlog + ", limits=" + limits + ", tls=" + tls + ", plainPort=" + plainPort + "}";
    }
}
