package io.comet.core.history;

import io.comet.core.PipeKey;
import io.comet.core.Rules;
import io.comet.core.store.PipeSetting;
import io.comet.core.store.Store;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pipes keep history and how much ({@code pipes_settings}, docs/cometql.md §3.4; {@code trust_*}
 * pipes always, untrimmed, §4.10). Every setting is loaded from the store at start and kept in
 * step with it, so a publish never reads the store to decide.
 */
public final class HistorySettings {

    /** {@link #keep} of a pipe without history. */
    public static final int NONE = -1;

    private final Store store;
    private final int maxLength;
    /** Every pipe setting (length 0 included). */
    private final ConcurrentHashMap<PipeKey, Integer> lengths = new ConcurrentHashMap<>();

    /** Loads every setting of {@code store} (blocking, at engine start). */
    public HistorySettings(Store store, int maxLength) {
        this.store = store;
        this.maxLength = maxLength;
        for (PipeSetting s : store.pipeSettings().join()) {
            lengths.put(new PipeKey(s.devId(), s.pipe()), s.length());
        }
    }

    /**
     * How much history a publish to {@code pipe} keeps: {@link #NONE}, 0 (all: {@code trust_*}), or
     * the newest {@code n}.
     */
    public int keep(int devId, String pipe) {
        if (Rules.isTrustPipe(pipe)) {
            return 0;
        }
        Integer len = lengths.get(new PipeKey(devId, pipe));
        return len == null || len <= 0 ? NONE : len;
    }

    /** The stored length of a pipe, if a setting exists. */
    public Optional<Integer> length(int devId, String pipe) {
        return Optional.ofNullable(lengths.get(new PipeKey(devId, pipe)));
    }

    /** Stores a length clamped to {@code 0..maxHistoryLength}; completes with it once durable. */
    public CompletableFuture<Integer> set(int devId, String pipe, long length) {
        int len = (int) Math.max(0, Math.min(maxLength, length));
        return store.putPipeSetting(devId, pipe, len).thenApply(v -> {
            lengths.put(new PipeKey(devId, pipe), len); // 0 too: the setting exists
            return len;
        });
    }

    /** Removes a setting (the store removes the pipe's history with it). */
    public CompletableFuture<Void> delete(int devId, String pipe) {
        lengths.remove(new PipeKey(devId, pipe));
        return store.deletePipeSetting(devId, pipe);
    }
}
