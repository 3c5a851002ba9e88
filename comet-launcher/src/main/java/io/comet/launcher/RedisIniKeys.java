package io.comet.launcher;

import io.comet.broker.redis.RedisBrokerConfig;
import io.comet.launcher.IniKeys.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The {@code [redis]} keys of comet.ini: several nodes as one server on a shared Redis (docs/redis.md). */
final class RedisIniKeys {

    private RedisIniKeys() {
    }

    static void register(IniKeyList keys) {
        keys.applied("redis", "uri", "unset (one node alone)", Level.ESSENTIAL,
                "Comet only: `redis://[:password@]host:port[/db]` (or `rediss://` for TLS) of the Redis that the "
                        + "nodes of one deployment share; each node is named by `[main] node_name`. Unset: this node "
                        + "is the whole server and nothing goes to Redis.",
                (b, v, p) -> {
                    try {
                        RedisBrokerConfig.builder(p.nonEmpty(v)).build();
                    } catch (IllegalArgumentException e) {
                        throw p.bad(e.getMessage());
                    }
                    b.redisUri(v.text());
                });
        keys.applied("redis", "prefix", "comet", Level.RARE,
                "Comet only: first part of every Redis key and channel; deployments sharing one Redis need different prefixes.",
                (b, v, p) -> b.redis(r -> r.prefix(p.nonEmpty(v))));
        keys.applied("redis", "command_timeout", "4", Level.RARE,
                "Comet only: seconds one Redis command may take; past it (or at once while Redis is unreachable) the "
                        + "publish fails with an error and the server keeps running.",
                (b, v, p) -> b.redis(r -> r.commandTimeout(Duration.ofSeconds(p.integer(v, 1, 600)))));
        keys.applied("redis", "node_timeout", "10", Level.RARE,
                "Comet only: seconds without a heartbeat after which a node is taken for lost: its users go offline "
                        + "and its `track_*` members leave, once, announced by a surviving node.",
                (b, v, p) -> b.redis(r -> r.nodeTimeout(Duration.ofSeconds(p.integer(v, 3, 3600)))));
    }

    /** The Redis settings in force: {@code [redis] uri} (node named {@code nodeName}) or {@code explicit}, changed by {@code settings}; null: none. */
    static RedisBrokerConfig config(String uri, RedisBrokerConfig explicit, List<Consumer<RedisBrokerConfig.Builder>> settings,
                                    String nodeName) {
        if (uri == null && explicit == null) {
            if (!settings.isEmpty()) {
                throw new IllegalArgumentException("redis: uri is required with the other [redis] keys");
            }
            return null;
        }
        RedisBrokerConfig.Builder rb = uri != null ? RedisBrokerConfig.builder(uri).nodeName(nodeName) : explicit.toBuilder();
        for (Consumer<RedisBrokerConfig.Builder> c : settings) {
            c.accept(rb);
        }
        return rb.build();
    }
}
