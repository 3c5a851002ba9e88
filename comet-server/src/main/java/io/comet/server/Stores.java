package io.comet.server;

import io.comet.broker.redis.RedisBroker;
import io.comet.broker.redis.RedisBrokerConfig;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.comet.core.engine.EngineBuilder;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import io.comet.core.store.jdbc.JdbcStore;
import io.comet.core.store.jdbc.JdbcStoreConfig;
import java.security.SecureRandom;
import java.util.Base64;

/** What {@link CometServerBuilder#start()} needs besides the wiring: the store, the password, the messages. */
final class Stores {

    private Stores() {
    }

    /** The given store, a {@link JdbcStore} opened now, or a {@link MemoryStore}. */
    static Store open(Store given, JdbcStoreConfig jdbc) {
        if (given != null) {
            return given;
        }
        if (jdbc == null) {
            return new MemoryStore();
        }
        try {
            return JdbcStore.open(jdbc);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the store " + cut(jdbc.jdbcUrl()) + ": " + e.getMessage(), e);
        }
    }

    /** The engine on {@code store}; with {@code redis} one node of a deployment on that Redis (the store is closed if Redis is unreachable). */
    static CometEngine engine(CometConfig config, Store store, RedisBrokerConfig redis) {
        EngineBuilder b = CometEngine.builder().config(config).store(store);
        if (redis != null) {
            try {
                b.broker(new RedisBroker(redis));
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return b.build();
    }

    static String describe(Store s) {
        if (s instanceof JdbcStore j) {
            return cut(j.config().jdbcUrl());
        }
        return s instanceof MemoryStore ? "memory (nothing survives a restart)" : s.getClass().getSimpleName();
    }

    private static String cut(String jdbcUrl) {
        int semi = jdbcUrl.indexOf(';');
        return semi < 0 ? jdbcUrl : jdbcUrl.substring(0, semi);
    }

    static IllegalStateException bindFailure(String ip, int port, RuntimeException e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException("cannot listen on " + ip + ":" + port + ": " + c, c);
    }

    /** 18 random bytes, URL-safe Base64 (24 characters that need no quoting in a shell). */
    static String generatePassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
