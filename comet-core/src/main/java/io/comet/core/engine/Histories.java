package io.comet.core.engine;

import io.comet.core.Rules;
import io.comet.core.broker.Broker;
import io.comet.core.context.EngineContext;
import io.comet.core.history.HistorySettings;
import io.comet.core.history.Recovery;
import io.comet.core.history.StreamLog;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.StreamPosition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code pipes_settings} and {@code pipes_messages} history operations (docs/cometql.md §3.1,
 * §3.4): settings through {@link HistorySettings}, entries and positions through the broker.
 * Losing a pipe's history (length set to 0, setting or history deleted) starts a new epoch.
 */
public final class Histories {

    private final EngineContext ctx;
    private final Broker broker;
    private final HistorySettings settings;

    Histories(EngineContext ctx, Broker broker, HistorySettings settings) {
        this.ctx = ctx;
        this.broker = broker;
        this.settings = settings;
    }

    /** {@code INSERT INTO pipes_settings}, clamped to {@code 0..maxHistoryLength}; 0 drops the history (new epoch). */
    public CompletableFuture<Integer> setLength(int devId, String pipe, long length) {
        ctx.rules().checkDev(devId);
        ctx.rules().checkPipe(pipe, Rules.PipeUse.SETTINGS);
        return settings.set(devId, pipe, length).thenCompose(len -> len > 0 || Rules.isTrustPipe(pipe)
                ? CompletableFuture.completedFuture(len)
                : broker.dropHistory(devId, pipe).thenApply(v -> len));
    }

    /** The configured history length of a pipe, if a setting exists (from memory). */
    public CompletableFuture<Optional<Integer>> length(int devId, String pipe) {
        return CompletableFuture.completedFuture(settings.length(devId, pipe));
    }

    /** {@code DELETE FROM pipes_settings}: the setting and the pipe's history. */
    public CompletableFuture<Void> deleteSetting(int devId, String pipe) {
        return settings.delete(devId, pipe).whenComplete((v, e) -> broker.forgetHistory(devId, pipe));
    }

    /** Up to {@code historyReplayLimit} oldest stored messages of a pipe, with offsets. */
    public CompletableFuture<List<HistoryEntry>> oldest(int devId, String pipe) {
        return broker.history(devId, pipe, ctx.config().historyReplayLimit()).thenApply(p -> p.entries());
    }

    /** The same entries with the epoch they belong to ({@code SELECT FROM pipes_messages}). */
    public CompletableFuture<StreamLog.Page> page(int devId, String pipe) {
        return broker.history(devId, pipe, ctx.config().historyReplayLimit());
    }

    /** Every stored message of a pipe after {@code epoch}/{@code offset}, or "not recovered". */
    public CompletableFuture<Recovery> since(int devId, String pipe, String epoch, long offset) {
        return broker.recover(devId, pipe, epoch, offset, ctx.config().maxHistoryLength());
    }

    /** Deletes a pipe's whole history (new epoch). */
    public CompletableFuture<Void> delete(int devId, String pipe) {
        return broker.dropHistory(devId, pipe);
    }

    /** The pipe's epoch and last offset, empty when it keeps no history. */
    public CompletableFuture<Optional<StreamPosition>> position(int devId, String pipe) {
        return settings.keep(devId, pipe) == HistorySettings.NONE ? CompletableFuture.completedFuture(Optional.empty())
                : broker.position(devId, pipe);
    }

    /** Deletes one stored message by id. */
    public CompletableFuture<Void> deleteEntry(int devId, String id) {
        return ctx.store().deleteHistoryEntry(devId, id);
    }
}
