package io.comet.core.store.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of a {@link JdbcStore}. {@link #DEFAULT} is an embedded H2 file database
 * under {@code ./data/comet}; {@link #mysql(String, int, String, String, String)} builds one for
 * MySQL/MariaDB; everything else through {@link #builder()} / {@link #toBuilder()}.
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.open(JdbcStoreConfig.DEFAULT);
 * JdbcStore mysql = JdbcStore.open(JdbcStoreConfig.mysql("127.0.0.1", 3306, "comet", "comet", secret)
 *         .toBuilder().operationTimeout(Duration.ofSeconds(5)).build());
 * }</pre>
 */
public final class JdbcStoreConfig {

    /**
     * H2 options appended to every file URL built here: the database is closed by
     * {@link JdbcStore#close()} (not by H2's own shutdown hook, which would run before the store
     * flushed), and each commit is written to the file before it is acknowledged.
     */
    public static final String H2_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    /** Default JDBC URL: an embedded H2 file database {@code ./data/comet.mv.db}. */
    public static final String DEFAULT_JDBC_URL = "jdbc:h2:file:./data/comet" + H2_OPTIONS;
    /** Default number of JDBC connections: one writer plus three readers. */
    public static final int DEFAULT_POOL_SIZE = 4;
    /** Default per-statement timeout (JDBC query timeout and socket read timeout). */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
    /** Default deadline of one store operation, queueing and reconnecting included. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(10);
    /** Default maximum number of writes committed in one transaction. */
    public static final int DEFAULT_WRITE_BATCH_SIZE = 256;
    /** Default time the writer waits for more writes before committing a non-full batch. */
    public static final Duration DEFAULT_MAX_BATCH_DELAY = Duration.ZERO;
    /** Default number of connection attempts when the store opens (as the original's {@code connection_attempts}). */
    public static final int DEFAULT_CONNECTION_ATTEMPTS = 3;
    /** Default pause between connection attempts when the store opens (5 s, as the original). */
    public static final Duration DEFAULT_CONNECTION_RETRY_DELAY = Duration.ofSeconds(5);

    /** The defaults: embedded H2 under {@code ./data}. */
    public static final JdbcStoreConfig DEFAULT = builder().build();

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int poolSize;
    private final Duration queryTimeout;
    private final Duration operationTimeout;
    private final int writeBatchSize;
    private final Duration maxBatchDelay;
    private final int connectionAttempts;
    private final Duration connectionRetryDelay;
    private final Map<String, String> properties;

    private JdbcStoreConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.user = b.user;
        this.password = b.password;
        this.poolSize = b.poolSize;
        this.queryTimeout = b.queryTimeout;
        this.operationTimeout = b.operationTimeout;
        this.writeBatchSize = b.writeBatchSize;
        this.maxBatchDelay = b.maxBatchDelay;
        this.connectionAttempts = b.connectionAttempts;
        this.connectionRetryDelay = b.connectionRetryDelay;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    }

    /** A new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * MySQL or MariaDB through mysql-connector-j (which must be on the class path):
     * {@code jdbc:mysql://host:port/database} with UTF-8 (utf8mb4) and the other defaults.
     */
    public static JdbcStoreConfig mysql(String host, int port, String database, String user, String password) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        return builder()
                .jdbcUrl("jdbc:mysql://" + host + ":" + port + "/" + database
                        + "?characterEncoding=UTF-8&allowPublicKeyRetrieval=true&tcpKeepAlive=true")
                .user(user)
                .password(password)
                .build();
    }

    /**
     * An embedded H2 file database at {@code base} (H2 adds {@code .mv.db}), e.g.
     * {@code h2File(Path.of("data", "comet"))}, with {@link #H2_OPTIONS}.
     */
    public static JdbcStoreConfig h2File(Path base) {
        String p = base.toString().replace('\\', '/');
        if (!base.isAbsolute() && !p.startsWith("./") && !p.startsWith("../")) {
            p = "./" + p; // H2 refuses implicitly relative paths
        }
        return builder().jdbcUrl("jdbc:h2:file:" + p + H2_OPTIONS).build();
    }

    /** A builder initialised with these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.jdbcUrl = jdbcUrl;
        b.user = user;
        b.password = password;
        b.poolSize = poolSize;
        b.queryTimeout = queryTimeout;
        b.operationTimeout = operationTimeout;
        b.writeBatchSize = writeBatchSize;
        b.maxBatchDelay = maxBatchDelay;
        b.connectionAttempts = connectionAttempts;
        b.connectionRetryDelay = connectionRetryDelay;
        b.properties.putAll(properties);
        return b;
    }

    /** JDBC URL ({@code jdbc:h2:…}, {@code jdbc:mysql:…} or {@code jdbc:mariadb:…}). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Database user (empty for the embedded H2 default). */
    public String user() {
        return user;
    }

    /** Database password (never printed by {@link #toString()}). */
    public String password() {
        return password;
    }

    /** Maximum JDBC connections: one for the writer, the rest for readers. */
    public int poolSize() {
        return poolSize;
    }

    /** Per-statement timeout: JDBC query timeout, socket read and connect timeout. */
    public Duration queryTimeout() {
        return queryTimeout;
    }

    /** Deadline of one store operation; past it the future fails with {@link io.comet.core.StoreException}. */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /** Maximum number of writes committed in one transaction (group commit). */
    public int writeBatchSize() {
        return writeBatchSize;
    }

    /** How long the writer waits for more writes before committing a batch that is not full. */
    public Duration maxBatchDelay() {
        return maxBatchDelay;
    }

    /** Connection attempts when the store opens before it gives up. */
    public int connectionAttempts() {
        return connectionAttempts;
    }

    /** Pause between connection attempts when the store opens. */
    public Duration connectionRetryDelay() {
        return connectionRetryDelay;
    }

    /** Extra JDBC driver properties. */
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "JdbcStoreConfig{jdbcUrl=" + jdbcUrl + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "****")
                + ", poolSize=" + poolSize + ", queryTimeout=" + queryTimeout.toMillis() + "ms"
                + ", operationTimeout=" + operationTimeout.toMillis() + "ms"
                + ", writeBatchSize=" + writeBatchSize + ", maxBatchDelay=" + maxBatchDelay.toMillis() + "ms"
                + ", connectionAttempts=" + connectionAttempts
                + ", connectionRetryDelay=" + connectionRetryDelay.toMillis() + "ms"
                + ", properties=" + properties.keySet() + "}";
    }

    /** Builder of {@link JdbcStoreConfig}; {@link #build()} validates. */
    public static final class Builder {
        private String jdbcUrl = DEFAULT_JDBC_URL;
        private String user = "";
        private String password = "";
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
        private int writeBatchSize = DEFAULT_WRITE_BATCH_SIZE;
        private Duration maxBatchDelay = DEFAULT_MAX_BATCH_DELAY;
        private int connectionAttempts = DEFAULT_CONNECTION_ATTEMPTS;
        private Duration connectionRetryDelay = DEFAULT_CONNECTION_RETRY_DELAY;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** JDBC URL (default {@value JdbcStoreConfig#DEFAULT_JDBC_URL}). */
        public Builder jdbcUrl(String v) {
            jdbcUrl = Objects.requireNonNull(v, "jdbcUrl");
            return this;
        }

        /** Database user (default empty). */
        public Builder user(String v) {
            user = v == null ? "" : v;
            return this;
        }

        /** Database password (default empty). */
        public Builder password(String v) {
            password = v == null ? "" : v;
            return this;
        }

        /** Maximum JDBC connections, at least 2 (default {@value JdbcStoreConfig#DEFAULT_POOL_SIZE}). */
        public Builder poolSize(int v) {
            poolSize = v;
            return this;
        }

        /** Per-statement timeout, at least 1 s (default 5 s). */
        public Builder queryTimeout(Duration v) {
            queryTimeout = Objects.requireNonNull(v, "queryTimeout");
            return this;
        }

        /** Deadline of one operation (default 10 s). */
        public Builder operationTimeout(Duration v) {
            operationTimeout = Objects.requireNonNull(v, "operationTimeout");
            return this;
        }

        /** Maximum writes per commit (default {@value JdbcStoreConfig#DEFAULT_WRITE_BATCH_SIZE}). */
        public Builder writeBatchSize(int v) {
            writeBatchSize = v;
            return this;
        }

        /** Wait for more writes before committing a non-full batch (default 0: commit what is queued). */
        public Builder maxBatchDelay(Duration v) {
            maxBatchDelay = Objects.requireNonNull(v, "maxBatchDelay");
            return this;
        }

        /** Connection attempts at open (default {@value JdbcStoreConfig#DEFAULT_CONNECTION_ATTEMPTS}). */
        public Builder connectionAttempts(int v) {
            connectionAttempts = v;
            return this;
        }

        /** Pause between connection attempts at open (default 5 s). */
        public Builder connectionRetryDelay(Duration v) {
            connectionRetryDelay = Objects.requireNonNull(v, "connectionRetryDelay");
            return this;
        }

        /** Adds an extra JDBC driver property. */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Validates and builds. */
        public JdbcStoreConfig build() {
            Dialect.of(jdbcUrl); // fails on an unsupported URL
            if (poolSize < 2) {
                throw new IllegalArgumentException("poolSize: " + poolSize + " (expected: >= 2)");
            }
            if (queryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("queryTimeout: " + queryTimeout + " (expected: >= 1s)");
            }
            if (operationTimeout.isNegative() || operationTimeout.isZero()) {
                throw new IllegalArgumentException("operationTimeout: " + operationTimeout + " (expected: > 0)");
            }
            if (writeBatchSize < 1) {
                throw new IllegalArgumentException("writeBatchSize: " + writeBatchSize + " (expected: >= 1)");
            }
            if (maxBatchDelay.isNegative()) {
                throw new IllegalArgumentException("maxBatchDelay: " + maxBatchDelay + " (expected: >= 0)");
            }
            if (connectionAttempts < 1) {
                throw new IllegalArgumentException("connectionAttempts: " + connectionAttempts + " (expected: >= 1)");
            }
            if (connectionRetryDelay.isNegative()) {
                throw new IllegalArgumentException("connectionRetryDelay: " + connectionRetryDelay + " (expected: >= 0)");
            }
            return new JdbcStoreConfig(this);
        }
    }
}
