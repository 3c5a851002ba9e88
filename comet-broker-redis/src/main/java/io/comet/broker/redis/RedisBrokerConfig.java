package io.comet.broker.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link RedisBroker} ({@code comet.ini} section {@code [redis]}, docs/redis.md).
 * Every node of one deployment uses the same {@code uri} and {@code prefix}; {@code nodeName}
 * labels the node (a random suffix makes each process's node id unique).
 *
 * @param uri               {@code redis://[password@]host:port[/db]} or {@code rediss://…} (TLS)
 * @param prefix            first part of every key and channel name
 * @param nodeName          the node's label ({@code [main] node_name})
 * @param commandTimeout    how long one Redis command may take, queueing included; past it the caller's future fails
 * @param connectTimeout    TCP connect timeout
 * @param heartbeat         how often the node tells Redis it is alive
 * @param nodeTimeout       a node silent this long is taken for lost: its users and members are removed
 * @param syncInterval      how often each pipe's position in Redis is compared with what the node delivered
 * @param surveyTimeout     how long a cluster-wide count (kick, members, private delivery) waits for the nodes' answers
 * @param historyCap        newest entries kept of a pipe whose history is "all" ({@code trust_*})
 * @param historyTtl        a pipe's history and position expire after this long without a publish
 * @param idempotencyTtl    how long a publication's id is remembered (a retried publish within it is applied once)
 */
public record RedisBrokerConfig(String uri, String prefix, String nodeName, Duration commandTimeout,
                                Duration connectTimeout, Duration heartbeat, Duration nodeTimeout,
                                Duration syncInterval, Duration surveyTimeout, int historyCap, Duration historyTtl,
                                Duration idempotencyTtl) {

    /** Validates every setting. */
    public RedisBrokerConfig {
        Objects.requireNonNull(uri, "uri");
        try {
            RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("redis uri: " + e.getMessage() + " (expected: redis://host:port)", e);
        }
        if (prefix == null || prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("prefix: '" + prefix + "' (expected: non-empty, no braces)");
        }
        if (nodeName == null || nodeName.isEmpty() || !nodeName.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("nodeName: '" + nodeName + "' (expected: 1-64 of A-Z a-z 0-9 _ . -)");
        }
        positive("commandTimeout", commandTimeout);
        positive("connectTimeout", connectTimeout);
        positive("heartbeat", heartbeat);
        positive("syncInterval", syncInterval);
        positive("surveyTimeout", surveyTimeout);
        positive("historyTtl", historyTtl);
        positive("idempotencyTtl", idempotencyTtl);
        if (nodeTimeout == null || nodeTimeout.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("nodeTimeout: " + nodeTimeout + " (expected: >= 3 heartbeats)");
        }
        if (historyCap < 1) {
            throw new IllegalArgumentException("historyCap: " + historyCap + " (expected: >= 1)");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }

    /** Defaults for {@code uri}: prefix {@code comet}, node {@code comet}, 4 s commands, 1 s heartbeat, 10 s node timeout. */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(uri).prefix(prefix).nodeName(nodeName).commandTimeout(commandTimeout)
                .connectTimeout(connectTimeout).heartbeat(heartbeat).nodeTimeout(nodeTimeout).syncInterval(syncInterval)
                .surveyTimeout(surveyTimeout).historyCap(historyCap).historyTtl(historyTtl).idempotencyTtl(idempotencyTtl);
    }

    /** Builder of {@link RedisBrokerConfig}. */
    public static final class Builder {
        private final String uri;
        private String prefix = "comet";
        private String nodeName = "comet";
        private Duration commandTimeout = Duration.ofSeconds(4);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration heartbeat = Duration.ofSeconds(1);
        private Duration nodeTimeout = Duration.ofSeconds(10);
        private Duration syncInterval = Duration.ofSeconds(10);
        private Duration surveyTimeout = Duration.ofSeconds(2);
        private int historyCap = 100_000;
        private Duration historyTtl = Duration.ofDays(30);
        private Duration idempotencyTtl = Duration.ofSeconds(300);

        private Builder(String uri) {
            this.uri = uri;
        }

        public Builder prefix(String v) {
            prefix = v;
            return this;
        }

        public Builder nodeName(String v) {
            nodeName = v;
            return this;
        }

        public Builder commandTimeout(Duration v) {
            commandTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder heartbeat(Duration v) {
            heartbeat = v;
            return this;
        }

        public Builder nodeTimeout(Duration v) {
            nodeTimeout = v;
            return this;
        }

        public Builder syncInterval(Duration v) {
            syncInterval = v;
            return this;
        }

        public Builder surveyTimeout(Duration v) {
            surveyTimeout = v;
            return this;
        }

        public Builder historyCap(int v) {
            historyCap = v;
            return this;
        }

        public Builder historyTtl(Duration v) {
            historyTtl = v;
            return this;
        }

        public Builder idempotencyTtl(Duration v) {
            idempotencyTtl = v;
            return this;
        }

        /** Validates and builds. */
        public RedisBrokerConfig build() {
            return new RedisBrokerConfig(uri, prefix, nodeName, commandTimeout, connectTimeout, heartbeat, nodeTimeout,
                    syncInterval, surveyTimeout, historyCap, historyTtl, idempotencyTtl);
        }
    }
}
