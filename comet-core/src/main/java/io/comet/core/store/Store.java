package io.comet.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything durable (ARCHITECTURE.md rule 5): auth hashes, last-seen times, queued private
 * messages, pipe settings, history, users_data and revoked tokens, all keyed by dev_id.
 *
 * <p>Every method is asynchronous and must not block the caller: implementations run I/O on
 * their own executor and may batch writes (group commit). A returned future completes only when
 * the write is durable; for the write that is allowed to be lazy ({@link #putLastSeen})
 * it may complete when queued, and {@link #flush()} makes everything
 * queued so far durable. Failures complete the future exceptionally (typically with
 * {@link io.comet.core.StoreException}).
 */
public interface Store extends AutoCloseable {

    // ---- users_auth

    /** The stored auth hash of a user, if any. */
    CompletableFuture<Optional<String>> authHash(int devId, long userId);

    /** Upserts the auth hash of a user (durable when completed). */
    CompletableFuture<Void> putAuthHash(int devId, long userId, String hash);

    /** Deletes the auth hash of a user (durable when completed). */
    CompletableFuture<Void> deleteAuthHash(int devId, long userId);

    // ---- users_time

    /** Last disconnect time in unix seconds, or -1 when unknown. */
    CompletableFuture<Long> lastSeen(int devId, long userId);

    /** Records a last disconnect time; may be written lazily. */
    CompletableFuture<Void> putLastSeen(int devId, long userId, long unixSeconds);

    // ---- users_messages (offline queue)

    /**
     * Appends a private message to the user's queue (durable when completed). Fails with
     * {@link io.comet.core.LimitExceededException} when the queue already holds {@code maxPerUser}.
     */
    CompletableFuture<Void> enqueue(int devId, long userId, QueuedMessage message, int maxPerUser);

    /** Up to {@code limit} queued messages of a user, oldest first. */
    CompletableFuture<List<QueuedMessage>> queued(int devId, long userId, int limit);

    /** Deletes the given queued messages of a user (durable when completed). */
    CompletableFuture<Void> deleteQueued(int devId, long userId, Collection<String> ids);

    /** Deletes a user's whole queue (durable when completed). */
    CompletableFuture<Void> clearQueue(int devId, long userId);

    // ---- pipes_settings

    /** Every stored pipe setting of every namespace (loaded once at start). */
    CompletableFuture<List<PipeSetting>> pipeSettings();

    /** Upserts a pipe setting (durable when completed). */
    CompletableFuture<Void> putPipeSetting(int devId, String pipe, int length);

    /** Deletes a pipe setting, the pipe's whole history and its stream position (durable when completed). */
    CompletableFuture<Void> deletePipeSetting(int devId, String pipe);

    // ---- pipes_messages (history)

    /** The pipe's epoch and last appended offset; empty when the pipe has no stream (never logged, or history deleted). */
    CompletableFuture<Optional<StreamPosition>> stream(int devId, String pipe);

    /**
     * Appends a history entry at its offset, records {@code (epoch, entry.offset())} as the pipe's
     * stream position in the same transaction and, when {@code keepNewest > 0}, deletes the pipe's
     * older entries beyond the newest {@code keepNewest}. Durable when completed.
     */
    CompletableFuture<Void> appendHistory(int devId, String epoch, HistoryEntry entry, int keepNewest);

    /** Entries with an offset above {@code afterOffset}, ascending, at most {@code limit}. */
    CompletableFuture<List<HistoryEntry>> historySince(int devId, String pipe, long afterOffset, int limit);

    /** Up to {@code limit} oldest stored entries of a pipe, oldest first (publish order). */
    CompletableFuture<List<HistoryEntry>> history(int devId, String pipe, int limit);

    /** Deletes a pipe's whole history and its stream position. */
    CompletableFuture<Void> deleteHistory(int devId, String pipe);

    /** Deletes one history entry by id. */
    CompletableFuture<Void> deleteHistoryEntry(int devId, String id);

    // ---- users_data

    /** The stored user data text, if any. */
    CompletableFuture<Optional<String>> userData(int devId, long userId);

    /** Upserts user data (durable when completed). */
    CompletableFuture<Void> putUserData(int devId, long userId, String data);

    /** Deletes user data (durable when completed). */
    CompletableFuture<Void> deleteUserData(int devId, long userId);

    // ---- revoked_tokens

    /** True if the exact token is revoked in the namespace. */
    CompletableFuture<Boolean> isRevoked(int devId, String token);

    /** Adds a revoked token (durable when completed). */
    CompletableFuture<Void> revoke(int devId, String token);

    /** Removes a revoked token (durable when completed). */
    CompletableFuture<Void> unrevoke(int devId, String token);

    /** Every revoked token of the namespace. */
    CompletableFuture<List<String>> revokedTokens(int devId);

    // ---- maintenance

    /**
     * Deletes queued messages stored before {@code queueBefore} and {@code trust_*} history
     * stored before {@code trustHistoryBefore} (unix seconds; {@link Long#MIN_VALUE} = skip).
     */
    CompletableFuture<Void> purge(long queueBefore, long trustHistoryBefore);

    /** Completes when every write issued before this call is durable. */
    CompletableFuture<Void> flush();

    /** Flushes and releases resources. */
    @Override
    void close();
}
