package io.comet.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable limits of the browser listener against clients that hold resources without using
 * them (issue 13): how long a partial input may take, and how many connections it accepts.
 * Part of {@link WebConfig} ({@link WebConfig#limits()}); every value has a default.
 *
 * <pre>{@code
 * WebConfig cfg = WebConfig.builder().limits(WebLimits.builder().maxConnectionsPerAddress(100).build()).build();
 * }</pre>
 */
public final class WebLimits {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 0;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 10_000;

    /** The defaults. */
    public static final WebLimits DEFAULT = builder().build();

    private final Duration requestTimeout;
    private final Duration frameTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;

    private WebLimits(Builder b) {
        requestTimeout = b.requestTimeout;
        frameTimeout = b.frameTimeout;
        maxConnections = b.maxConnections;
        maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().requestTimeout(requestTimeout).frameTimeout(frameTimeout).maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress);
    }

    /**
     * A whole HTTP request (head and body, also when trickled byte by byte) must arrive within
     * this time of its first byte (the first request of a connection: of the accept), else the
     * connection is closed.
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * An incomplete WebSocket frame, or a fragmented message, must be completed within this time
     * of its first byte, else the connection is closed.
     */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    /** Open connections of the listener above which new ones get a {@code 503} and are closed; 0 = no limit. */
    public int maxConnections() {
        return maxConnections;
    }

    /** The same per client IP address; 0 = no limit. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    @Override
    public String toString() {
        return "WebLimits{requestTimeout=" + requestTimeout + ", frameTimeout=" + frameTimeout + ", maxConnections="
                + maxConnections + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress + "}";
    }

    /** Builder of {@link WebLimits}; {@link #build()} validates. */
    public static final class Builder {
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration frameTimeout = DEFAULT_FRAME_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

        private Builder() {
        }

        /** Deadline of a whole HTTP request (default 10 s). */
        public Builder requestTimeout(Duration v) {
            requestTimeout = Objects.requireNonNull(v, "requestTimeout");
            return this;
        }

        /** Deadline of an incomplete WebSocket frame or fragmented message (default 30 s). */
        public Builder frameTimeout(Duration v) {
            frameTimeout = Objects.requireNonNull(v, "frameTimeout");
            return this;
        }

        /** Connection limit of the listener (default 0 = none). */
        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        /** Connection limit per client address (default {@value WebLimits#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}). */
        public Builder maxConnectionsPerAddress(int v) {
            maxConnectionsPerAddress = v;
            return this;
        }

        public WebLimits build() {
            if (requestTimeout.toMillis() <= 0) {
                throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: > 0)");
            }
            if (frameTimeout.toMillis() <= 0) {
                throw new IllegalArgumentException("frameTimeout: " + frameTimeout + " (expected: > 0)");
            }
            if (maxConnections < 0 || maxConnectionsPerAddress < 0) {
                throw new IllegalArgumentException("maxConnections: " + maxConnections + ", maxConnectionsPerAddress: "
                        + maxConnectionsPerAddress + " (expected: >= 0)");
            }
            return new WebLimits(this);
        }
    }
}
