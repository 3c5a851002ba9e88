package io.comet.core.engine;

import io.comet.core.CometConfig;
import io.comet.core.broker.Broker;
import io.comet.core.broker.LocalBroker;
import io.comet.core.store.MemoryStore;
import io.comet.core.store.Store;
import java.time.Clock;
import java.util.Objects;

/** EngineBuilder of {@link CometEngine}: settings, store, broker, clock, maintenance. */
public final class EngineBuilder {
    CometConfig config = CometConfig.DEFAULT;
    Store store;
    Broker broker;
    Clock clock = Clock.systemUTC();
    int maintenanceIntervalSeconds = 30;

    EngineBuilder() {
    }

    /** Settings (default {@link CometConfig#DEFAULT}). */
    public EngineBuilder config(CometConfig v) {
        config = Objects.requireNonNull(v, "config");
        return this;
    }

    /** Durable store (default a new {@link MemoryStore}). */
    public EngineBuilder store(Store v) {
        store = Objects.requireNonNull(v, "store");
        return this;
    }

    /** What crosses nodes (default a {@link LocalBroker} on the store: one node). */
    public EngineBuilder broker(Broker v) {
        broker = Objects.requireNonNull(v, "broker");
        return this;
    }

    /** Clock for timestamps and JWT expiry (default UTC system clock). */
    public EngineBuilder clock(Clock v) {
        clock = Objects.requireNonNull(v, "clock");
        return this;
    }

    /** Seconds between TTL purges; 0 disables the maintenance thread (default 30). */
    public EngineBuilder maintenanceIntervalSeconds(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("maintenanceIntervalSeconds: " + v + " (expected: >= 0)");
        }
        maintenanceIntervalSeconds = v;
        return this;
    }

    /** Builds the engine (loads pipe settings from the store). */
    public CometEngine build() {
        return new CometEngine(this);
    }
}
