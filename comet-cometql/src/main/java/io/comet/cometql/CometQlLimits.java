package io.comet.cometql;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable limits of the CometQL doors against hostile clients (issue 13): deadlines of partial
 * input, connection limits of the MySQL listener, and the login throttle shared by the MySQL
 * port and {@code POST /cometql} ({@link io.comet.cometql.protocol.AuthThrottle}). Part of
 * {@link CometQlConfig} ({@link CometQlConfig#limits()}); every value has a default; 0 means
 * no limit for the connection counts.
 */
public final class CometQlLimits {

    /** The defaults. */
    public static final CometQlLimits DEFAULT = builder().build();

    private final Duration handshakeTimeout;
    private final Duration packetTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int maxUnauthenticated;
    private final int maxUnauthenticatedPerAddress;
    private final int loginsPerSecond;
    private final int loginBurst;
    private final Duration loginMaxWait;
    private final int accountLoginsPerSecond;
    private final int throttleTableSize;

    private CometQlLimits(Builder b) {
        handshakeTimeout = b.handshakeTimeout;
        packetTimeout = b.packetTimeout;
        maxConnections = b.maxConnections;
        maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        maxUnauthenticated = b.maxUnauthenticated;
        maxUnauthenticatedPerAddress = b.maxUnauthenticatedPerAddress;
        loginsPerSecond = b.loginsPerSecond;
        loginBurst = b.loginBurst;
        loginMaxWait = b.loginMaxWait;
        accountLoginsPerSecond = b.accountLoginsPerSecond;
        throttleTableSize = b.throttleTableSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.handshakeTimeout = handshakeTimeout;
        b.packetTimeout = packetTimeout;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.maxUnauthenticated = maxUnauthenticated;
        b.maxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress;
        b.loginsPerSecond = loginsPerSecond;
        b.loginBurst = loginBurst;
        b.loginMaxWait = loginMaxWait;
        b.accountLoginsPerSecond = accountLoginsPerSecond;
        b.throttleTableSize = throttleTableSize;
        return b;
    }

    /** From the accept to the OK of the login (or its ERR); past it the connection is closed. Default 10 s. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** After login: a packet whose first bytes came must be complete within this. Default 30 s. */
    public Duration packetTimeout() {
        return packetTimeout;
    }

    /** Open connections of the MySQL listener (default 10,000). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Open connections per client address (default 1,000). */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** Connections not yet logged in, in all (default 256). */
    public int maxUnauthenticated() {
        return maxUnauthenticated;
    }

    /** Connections not yet logged in, per client address (default 32). */
    public int maxUnauthenticatedPerAddress() {
        return maxUnauthenticatedPerAddress;
    }

    /** Password checks per second per source address, both doors together (default 10). */
    public int loginsPerSecond() {
        return loginsPerSecond;
    }

    /** Password checks a source may make at once before the rate applies (default 10). */
    public int loginBurst() {
        return loginBurst;
    }

    /** Longest wait for a check; an attempt that would wait longer is refused unchecked (default 10 s). */
    public Duration loginMaxWait() {
        return loginMaxWait;
    }

    /** Password checks per second per account from sources that failed recently (default 20). */
    public int accountLoginsPerSecond() {
        return accountLoginsPerSecond;
    }

    /** Sources and accounts the throttle remembers; beyond, new sources share one bucket (default 10,000). */
    public int throttleTableSize() {
        return throttleTableSize;
    }

    @Override
    public String toString() {
        return "CometQlLimits{handshakeTimeout=" + handshakeTimeout + ", packetTimeout=" + packetTimeout
                + ", maxConnections=" + maxConnections + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress
                + ", maxUnauthenticated=" + maxUnauthenticated + ", maxUnauthenticatedPerAddress="
                + maxUnauthenticatedPerAddress + ", loginsPerSecond=" + loginsPerSecond + ", loginBurst=" + loginBurst
                + ", loginMaxWait=" + loginMaxWait + ", accountLoginsPerSecond=" + accountLoginsPerSecond
                + ", throttleTableSize=" + throttleTableSize + "}";
    }

    /** Builder of {@link CometQlLimits}; {@link #build()} validates. */
    public static final class Builder {
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration packetTimeout = Duration.ofSeconds(30);
        private int maxConnections = 10_000;
        private int maxConnectionsPerAddress = 1_000;
        private int maxUnauthenticated = 256;
        private int maxUnauthenticatedPerAddress = 32;
        private int loginsPerSecond = 10;
        private int loginBurst = 10;
        private Duration loginMaxWait = Duration.ofSeconds(10);
        private int accountLoginsPerSecond = 20;
        private int throttleTableSize = 10_000;

        private Builder() {
        }

        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = Objects.requireNonNull(v, "handshakeTimeout");
            return this;
        }

        public Builder packetTimeout(Duration v) {
            packetTimeout = Objects.requireNonNull(v, "packetTimeout");
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder maxConnectionsPerAddress(int v) {
            maxConnectionsPerAddress = v;
            return this;
        }

        public Builder maxUnauthenticated(int v) {
            maxUnauthenticated = v;
            return this;
        }

        public Builder maxUnauthenticatedPerAddress(int v) {
            maxUnauthenticatedPerAddress = v;
            return this;
        }

        public Builder loginsPerSecond(int v) {
            loginsPerSecond = v;
            return this;
        }

        public Builder loginBurst(int v) {
            loginBurst = v;
            return this;
        }

        public Builder loginMaxWait(Duration v) {
            loginMaxWait = Objects.requireNonNull(v, "loginMaxWait");
            return this;
        }

        public Builder accountLoginsPerSecond(int v) {
            accountLoginsPerSecond = v;
            return this;
        }

        public Builder throttleTableSize(int v) {
            throttleTableSize = v;
            return this;
        }

        public CometQlLimits build() {
            check(handshakeTimeout.toMillis() > 0, "handshakeTimeout: " + handshakeTimeout + " (expected: > 0)");
            check(packetTimeout.toMillis() > 0, "packetTimeout: " + packetTimeout + " (expected: > 0)");
            check(maxConnections >= 0 && maxConnectionsPerAddress >= 0 && maxUnauthenticated >= 0
                    && maxUnauthenticatedPerAddress >= 0, "connection limits must be >= 0 (0 = none)");
            check(loginsPerSecond > 0, "loginsPerSecond: " + loginsPerSecond + " (expected: > 0)");
            check(loginBurst >= 1, "loginBurst: " + loginBurst + " (expected: >= 1)");
            check(!loginMaxWait.isNegative(), "loginMaxWait: " + loginMaxWait + " (expected: >= 0)");
            check(accountLoginsPerSecond > 0, "accountLoginsPerSecond: " + accountLoginsPerSecond + " (expected: > 0)");
            check(throttleTableSize >= 16, "throttleTableSize: " + throttleTableSize + " (expected: >= 16)");
            return new CometQlLimits(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
