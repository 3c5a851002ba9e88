package io.comet.cometql;

import io.comet.tls.TlsFiles;
import java.util.Objects;

/**
 * Immutable settings of the CometQL listener (cometql.md §1, §7 {@code [cometql]}).
 *
 * <pre>{@code
 * CometQlConfig cfg = CometQlConfig.builder().port(3300).password("secret").build();
 * }</pre>
 */
public final class CometQlConfig {

    /**
     * Loopback: CometQL carries the password and every private message, and its clients are the
     * application's own backends, usually on the same host. The original bound {@code 0.0.0.0};
     * an explicit {@code [cometql] ip = 0.0.0.0} still does (docs/cometql.md §7, "Secure defaults").
     */
    public static final String DEFAULT_IP = "127.0.0.1";
    public static final int DEFAULT_PORT = 3300;
    public static final int DEFAULT_MAX_QUERY_BYTES = 9000;
    public static final int DEFAULT_MAX_PACKET_BYTES = 65_536;
    public static final String DEFAULT_SERVER_VERSION = "5.7.99-CometQL-0.1";

    /** Every default. */
    public static final int DEFAULT_BACKLOG = 1024;
    public static final java.time.Duration DEFAULT_UPTIME_CHECK_INTERVAL = java.time.Duration.ofSeconds(600);

    public static final CometQlConfig DEFAULT = builder().build();

    private final String ip;
    private final int port;
    private final String password;
    private final boolean allowEmptyPassword;
    private final int maxQueryBytes;
    private final int maxPacketBytes;
    private final boolean mapUnknownUsersToNamespaceZero;
    private final boolean strict;
    private final boolean usersInPipesAuthorizedOnly;
    private final String serverVersion;
    private final CometQlLimits limits;
    private final int ioThreads;
    private final int backlog;
    private final long maxUptimeSeconds;
    private final java.time.Duration uptimeCheckInterval;
    private final TlsFiles tls;
    private final boolean requireTls;

    private CometQlConfig(Builder b) {
        tls = b.tls;
        requireTls = b.requireTls;
        ip = b.ip;
        port = b.port;
        password = b.password;
        allowEmptyPassword = b.allowEmptyPassword;
        maxQueryBytes = b.maxQueryBytes;
        maxPacketBytes = b.maxPacketBytes;
        mapUnknownUsersToNamespaceZero = b.mapUnknownUsersToNamespaceZero;
        strict = b.strict;
        usersInPipesAuthorizedOnly = b.usersInPipesAuthorizedOnly;
        serverVersion = b.serverVersion;
        limits = b.limits;
        ioThreads = b.ioThreads;
        backlog = b.backlog;
        maxUptimeSeconds = b.maxUptimeSeconds;
        uptimeCheckInterval = b.uptimeCheckInterval;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ip = ip;
        b.port = port;
        b.password = password;
        b.allowEmptyPassword = allowEmptyPassword;
        b.maxQueryBytes = maxQueryBytes;
        b.maxPacketBytes = maxPacketBytes;
        b.mapUnknownUsersToNamespaceZero = mapUnknownUsersToNamespaceZero;
        b.strict = strict;
        b.usersInPipesAuthorizedOnly = usersInPipesAuthorizedOnly;
        b.serverVersion = serverVersion;
        b.limits = limits;
        b.ioThreads = ioThreads;
        b.backlog = backlog;
        b.maxUptimeSeconds = maxUptimeSeconds;
        b.uptimeCheckInterval = uptimeCheckInterval;
        b.tls = tls;
        b.requireTls = requireTls;
        return b;
    }

    /** Listen address ({@code [cometql] ip}). */
    public String ip() {
        return ip;
    }

    /** Listen port ({@code [cometql] port}); 0 picks a free port. */
    public int port() {
        return port;
    }

    /** The password; {@code null} means the engine's {@code CometConfig.password()}. */
    public String password() {
        return password;
    }

    /** Whether an empty password may log in with 0 auth bytes. */
    public boolean allowEmptyPassword() {
        return allowEmptyPassword;
    }

    /** Queries of this many UTF-8 bytes or more get ERR 11 "Data is too long". */
    public int maxQueryBytes() {
        return maxQueryBytes;
    }

    /** Largest packet payload buffered; larger ones are skipped as they stream in and answered ERR 11. */
    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    /** Map user names other than {@code root}/digits to namespace 0 (logged) instead of ERR 16. */
    public boolean mapUnknownUsersToNamespaceZero() {
        return mapUnknownUsersToNamespaceZero;
    }

    /** Strict mode: {@code > < LIKE} on key columns and conditions on other columns are ERR 2. */
    public boolean strict() {
        return strict;
    }

    /** {@code users_in_pipes} lists only authorized users (the docs' behaviour; off = the source's). */
    public boolean usersInPipesAuthorizedOnly() {
        return usersInPipesAuthorizedOnly;
    }

    /** Version string of the handshake and {@code @@version}. */
    public String serverVersion() {
        return serverVersion;
    }

    /** Deadlines of partial input, connection limits and the login throttle. */
    public CometQlLimits limits() {
        return limits;
    }

    /** Event-loop threads when the server creates its own group (0 = 2). */
    public int ioThreads() {
        return ioThreads;
    }

    /** Listen backlog ({@code [cometql] backlog}). */
    public int backlog() {
        return backlog;
    }

    /** Connections older than this many seconds are closed after their command in flight; 0 = never ({@code [cometql] maxUptime}). */
    public long maxUptimeSeconds() {
        return maxUptimeSeconds;
    }

    /** Period of the {@link #maxUptimeSeconds()} check ({@code [cometql] uptimeTestInterval}). */
    public java.time.Duration uptimeCheckInterval() {
        return uptimeCheckInterval;
    }

    /**
     * {@code [cometql] tls_cert}, {@code tls_key}: the certificate of the MySQL {@code SSLRequest}
     * upgrade (CLIENT_SSL is advertised only with it), or null when the listener is plain.
     */
    public TlsFiles tls() {
        return tls;
    }

    /** {@code [cometql] require_tls}: a login that did not upgrade to TLS is refused (ERR 3159). */
    public boolean requireTls() {
        return requireTls;
    }

    @Override
    public String toString() {
        return "CometQlConfig{tls=" + tls + ", requireTls=" + requireTls + ", ip=" + ip + ", port=" + port + ", password=" + (password == null ? "engine's" : "****")
                + ", allowEmptyPassword=" + allowEmptyPassword + ", maxQueryBytes=" + maxQueryBytes
                + ", maxPacketBytes=" + maxPacketBytes + ", mapUnknownUsersToNamespaceZero="
                + mapUnknownUsersToNamespaceZero + ", strict=" + strict + ", usersInPipesAuthorizedOnly="
                + usersInPipesAuthorizedOnly + ", serverVersion=" + serverVersion + ", limits=" + limits + ", ioThreads=" + ioThreads + ", backlog=" + backlog + ", maxUptimeSeconds=" + maxUptimeSeconds
                + ", uptimeCheckInterval=" + uptimeCheckInterval + '}';
    }

    /** Builder of {@link CometQlConfig}. */
    public static final class Builder {
        private String ip = DEFAULT_IP;
        private int port = DEFAULT_PORT;
        private String password;
        private boolean allowEmptyPassword;
        private int maxQueryBytes = DEFAULT_MAX_QUERY_BYTES;
        private int maxPacketBytes = DEFAULT_MAX_PACKET_BYTES;
        private boolean mapUnknownUsersToNamespaceZero;
        private boolean strict;
        private boolean usersInPipesAuthorizedOnly;
        private String serverVersion = DEFAULT_SERVER_VERSION;
        private CometQlLimits limits = CometQlLimits.DEFAULT;
        private int ioThreads;
        private int backlog = DEFAULT_BACKLOG;
        private long maxUptimeSeconds;
        private java.time.Duration uptimeCheckInterval = DEFAULT_UPTIME_CHECK_INTERVAL;
        private TlsFiles tls;
        private boolean requireTls;

        private Builder() {
        }

        /** Offers TLS (the MySQL {@code SSLRequest} upgrade) with these PEM files; null (default) = plain only. */
        public Builder tls(TlsFiles v) {
            tls = v;
            return this;
        }

        /** Refuses logins that did not upgrade to TLS (default false); needs {@link #tls(TlsFiles)}. */
        public Builder requireTls(boolean v) {
            requireTls = v;
            return this;
        }

        /** Listen address (default {@value CometQlConfig#DEFAULT_IP}; {@code 0.0.0.0} for backends on other hosts). */
        public Builder ip(String v) {
            ip = Objects.requireNonNull(v, "ip");
            return this;
        }

        /** Listen port, 0 = any free port (default {@value CometQlConfig#DEFAULT_PORT}). */
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port: " + v + " (expected: 0..65535)");
            }
            port = v;
            return this;
        }

        /** Password (default: the engine's {@code [main] password}). */
        public Builder password(String v) {
            password = v;
            return this;
        }

        /** Accept an empty password with 0 auth bytes (default false). */
        public Builder allowEmptyPassword(boolean v) {
            allowEmptyPassword = v;
            return this;
        }

        /** Query size limit in bytes (default {@value CometQlConfig#DEFAULT_MAX_QUERY_BYTES}). */
        public Builder maxQueryBytes(int v) {
            if (v < 4) {
                throw new IllegalArgumentException("maxQueryBytes: " + v + " (expected: >= 4)");
            }
            maxQueryBytes = v;
            return this;
        }

        /** Packet buffering limit in bytes (default {@value CometQlConfig#DEFAULT_MAX_PACKET_BYTES}). */
        public Builder maxPacketBytes(int v) {
            if (v < 1024) {
                throw new IllegalArgumentException("maxPacketBytes: " + v + " (expected: >= 1024)");
            }
            maxPacketBytes = v;
            return this;
        }

        /** Unknown user names log in to namespace 0 instead of ERR 16 (default false). */
        public Builder mapUnknownUsersToNamespaceZero(boolean v) {
            mapUnknownUsersToNamespaceZero = v;
            return this;
        }

        /** Strict WHERE checking (default false: the original's leniency). */
        public Builder strict(boolean v) {
            strict = v;
            return this;
        }

        /** {@code users_in_pipes} without anonymous rows (default false). */
        public Builder usersInPipesAuthorizedOnly(boolean v) {
            usersInPipesAuthorizedOnly = v;
            return this;
        }

        /** Version string (default {@value CometQlConfig#DEFAULT_SERVER_VERSION}); must start with a MySQL version number. */
        public Builder serverVersion(String v) {
            Objects.requireNonNull(v, "serverVersion");
            if (v.isEmpty() || !Character.isDigit(v.charAt(0))) {
                throw new IllegalArgumentException("serverVersion: " + v + " (expected: starts with a digit)");
            }
            serverVersion = v;
            return this;
        }

        /** Changes the limits set so far (e.g. one key of a config file). */
        public Builder limits(java.util.function.UnaryOperator<CometQlLimits.Builder> change) {
            limits = change.apply(limits.toBuilder()).build();
            return this;
        }

        /** Deadlines, connection limits and the login throttle (default {@link CometQlLimits#DEFAULT}). */
        public Builder limits(CometQlLimits v) {
            limits = java.util.Objects.requireNonNull(v, "limits");
            return this;
        }

        /** Own event-loop threads (default 0 = 2). */
        public Builder ioThreads(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("ioThreads: " + v + " (expected: >= 0)");
            }
            ioThreads = v;
            return this;
        }

        /** Listen backlog (default {@value CometQlConfig#DEFAULT_BACKLOG}). */
        public Builder backlog(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("backlog: " + v + " (expected: >= 1)");
            }
            backlog = v;
            return this;
        }

        /** Close connections older than this many seconds (after their command in flight); 0 = never (default). */
        public Builder maxUptimeSeconds(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxUptimeSeconds: " + v + " (expected: >= 0)");
            }
            maxUptimeSeconds = v;
            return this;
        }

        /** Period of the maxUptime check (default 600 s). */
        public Builder uptimeCheckInterval(java.time.Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("uptimeCheckInterval: " + v + " (expected: > 0)");
            }
            uptimeCheckInterval = v;
            return this;
        }

        /** Builds the config. */
        public CometQlConfig build() {
            if (requireTls && tls == null) {
                throw new IllegalArgumentException("requireTls: true needs a TLS certificate (tls_cert, tls_key)");
            }
            if (maxPacketBytes <= maxQueryBytes) {
                throw new IllegalArgumentException("maxPacketBytes: " + maxPacketBytes + " (expected: > maxQueryBytes "
                        + maxQueryBytes + ")");
            }
            return new CometQlConfig(this);
        }
    }
}
