package io.comet.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything durable (docs/architecture.md rule 6): auth hashes, last-seen times, queued private
 * messages, pipe settings, history, users_data and revoked tokens, all keyed by dev_id.
 *
 * <p>Every method is asynchronous and must not block the caller: implementations run I/O on
 * their own executor and may batch writes (group commit). A returned future completes only when
 * the write is durable; only {@link #putLastSeen} is allowed to be lazy (its future may complete
 * when queued), and {@link #flush()} makes everything queued so far durable. Failures complete
 * the future exceptionally (typically with {@link io.comet.core.StoreException}).
 *
 * <p><b>History streams.</b> Each logged pipe has a stream: an epoch (short opaque text chosen by
 * the caller) and the offsets of its entries, 1, 2, 3… in publish order. {@link #appendHistory}
 * stores an entry with its offset and records {@code (epoch, offset)} as the pipe's
 * {@link StreamPosition} in the same transaction; {@link #stream} returns it even after the entry
 * was trimmed, so a caller restarting continues the epoch at the next offset, and a client that
 * knows {@code (epoch, offset)} can resume with {@link #historySince}. Deleting the history or
 * the pipe setting deletes the stream: the caller starts a new epoch next time.
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

    /** Deletes a pipe setting, the pipe's whole history and its stream (durable when completed). */
    CompletableFuture<Void> deletePipeSetting(int devId, String pipe);

    // ---- pipes_messages (history)

    /**
     * Appends a history entry (durable when completed): stores it with its
     * {@link HistoryEntry#offset() offset}, sets the pipe's stream to {@code (epoch, entry.offset())}
     * in the same transaction and then, when {@code keepNewest > 0}, deletes the pipe's older
     * entries beyond the newest {@code keepNewest}. Appends are applied in call order; many share
     * one commit. The store does not check the offsets: the caller assigns 1, 2, 3… per epoch.
     *
     * @throws IllegalArgumentException when {@code epoch} is not 1–32 chars or the offset is negative
     */
    CompletableFuture<Void> appendHistory(int devId, String epoch, HistoryEntry entry, int keepNewest);

    /**
     * The pipe's epoch and the last offset appended in it (even if that entry was since trimmed
     * or deleted); empty when the pipe has no stream (never logged, or its history was deleted).
     */
    CompletableFuture<Optional<StreamPosition>> stream(int devId, String pipe);

    /** Up to {@code limit} oldest stored entries of a pipe, oldest first (publish order); {@code limit < 0}: all. */
    CompletableFuture<List<HistoryEntry>> history(int devId, String pipe, int limit);

    /**
     * The stored entries of a pipe with an offset above {@code afterOffset}, by ascending offset,
     * at most {@code limit} ({@code limit < 0}: all). {@code afterOffset = 0} starts at the oldest.
     */
    CompletableFuture<List<HistoryEntry>> historySince(int devId, String pipe, long afterOffset, int limit);

    /** Deletes a pipe's whole history and its stream (durable when completed). */
    CompletableFuture<Void> deleteHistory(int devId, String pipe);

    /** Deletes one history entry by id; the pipe's stream stays (durable when completed). */
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
     * The streams of the purged pipes stay.
     */
    CompletableFuture<Void> purge(long queueBefore, long trustHistoryBefore);

    /**
     * Completes when the store answers a trivial request after the writes issued before it
     * (readiness, {@code GET /ready}); fails, or does not complete, while it cannot. The default
     * completes at once: an in-memory store is always reachable.
     *
     * @return the answer
     */
    default CompletableFuture<Void> ping() {
        return CompletableFuture.completedFuture(null);
    }

    /** Completes when every write issued before this call is durable. */
    CompletableFuture<Void> flush();

    /** Flushes and releases resources. */
    @Override
    void close();
}
