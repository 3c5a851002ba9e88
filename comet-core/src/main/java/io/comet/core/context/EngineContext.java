package io.comet.core.context;

import io.comet.core.CometConfig;
import io.comet.core.Rules;
import io.comet.core.Stats;
import io.comet.core.store.Store;
import java.time.Clock;
import java.util.Objects;

/**
 * What every engine component shares, handed to each through its constructor: the settings and
 * the rules derived from them, the clock, the durable store and the {@code show status}
 * counters. Immutable; one per engine.
 */
public final class EngineContext {

    private final CometConfig config;
    private final Rules rules;
    private final Clock clock;
    private final Store store;
    private final Stats stats;

    /** A context over these parts; the stats start at the clock's now. */
    public EngineContext(CometConfig config, Clock clock, Store store) {
        this.config = Objects.requireNonNull(config, "config");
        this.rules = new Rules(config);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = Objects.requireNonNull(store, "store");
        this.stats = new Stats(clock.millis());
    }

    /** The settings in force. */
    public CometConfig config() {
        return config;
    }

    /** Name, size and access rules under {@link #config()}. */
    public Rules rules() {
        return rules;
    }

    /** The engine's clock (timestamps, JWT expiry, last-seen times). */
    public Clock clock() {
        return clock;
    }

    /** The durable store. */
    public Store store() {
        return store;
    }

    /** Counters for {@code show status}. */
    public Stats stats() {
        return stats;
    }

    /** Unix seconds now, from the clock. */
    public long nowSeconds() {
        return clock.millis() / 1000;
    }
}
