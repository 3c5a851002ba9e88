package io.comet.core.store.jdbc;

import io.comet.core.StoreException;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.PipeSetting;
import io.comet.core.store.QueuedMessage;
import io.comet.core.store.Store;
import io.comet.core.store.StreamPosition;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link Store} on a SQL database through Jdbi and a HikariCP pool: an embedded H2
 * file database by default, MySQL or MariaDB in production (cometql.md §6, docs/architecture.md rule 6).
 *
 * <p>This class maps each operation to its SQL (the per-table classes {@link UserSql},
 * {@link QueueSql}, {@link PipeSql}, {@link TokenSql}) and hands it to the threading half
 * ({@link StoreRunner}, {@link GroupCommitWriter}, {@link Connections}):
 *
 * <p><b>Threads.</b> Every JDBC call runs on the store's own threads, never on the caller's:
 * one writer ({@code comet-store-writer}), {@code poolSize - 1} readers
 * ({@code comet-store-reader-N}) and the pool's ({@code comet-store-pool-N}); futures complete on
 * {@code comet-store-callback-N} threads, so callers' continuations never hold up the writer.
 * {@link #checkIoThread()} guards the JDBC paths.
 *
 * <p><b>Group commit.</b> Writes enter one FIFO queue. The writer takes everything queued (up to
 * {@link JdbcStoreConfig#writeBatchSize()}), runs it in one transaction, commits, and only then
 * completes the futures of the batch: a completed write is durable, history appends included.
 * Concurrent writers therefore share commits. A statement error in a batch re-runs the batch one
 * write per transaction so only the faulty write fails; a refused {@code enqueue} (queue full)
 * fails alone.
 *
 * <p><b>Lazy writes.</b> {@link #putLastSeen} shares the same queue and commits (its callers need
 * not wait for it); {@link #flush()} completes when everything issued before it is committed, and
 * {@link #close()} flushes.
 *
 * <p><b>Read-your-writes.</b> A read waits until every write issued before it has been committed
 * (or has failed), then runs on a reader thread; it may also see writes issued after it.
 *
 * <p><b>Failures.</b> Each operation has a deadline ({@link JdbcStoreConfig#operationTimeout()});
 * past it the future fails with a {@link StoreException} (code 500). A connection that fails is
 * evicted from the pool, which reconnects in the background; the operation retries until its
 * deadline, so the store recovers by itself when the database returns. A write whose future
 * timed out while its transaction was running may still have been committed, as with any
 * database client.
 *
 * <p><b>Files.</b> For an embedded H2 file database the store creates the directory 0700 and keeps
 * the database files 0600 on POSIX file systems ({@link H2Files}).
 */
public final class JdbcStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    /** Prefix of every thread this store starts. */
    public static final String THREAD_PREFIX = "comet-store-";

    private final JdbcStoreConfig config;
    private final String where;
    private final Optional<H2Files> files;
    private final StoreRunner runner;

    private JdbcStore(JdbcStoreConfig config, int schemaVersion) {
        this.config = config;
        this.where = redact(config.jdbcUrl());
        this.files = H2Files.of(config.jdbcUrl());
        files.ifPresent(H2Files::createDirectory);
        this.runner = new StoreRunner(config, Dialect.of(config.jdbcUrl()), where, schemaVersion);
    }

    /**
     * Opens a store: connects (up to {@link JdbcStoreConfig#connectionAttempts()} times),
     * creates or migrates the schema, and starts the store threads and the connection pool.
     * Blocks the calling thread until the database is ready (JDBC still runs on the store's
     * writer thread).
     *
     * @throws StoreException when the database cannot be reached, or its schema is newer than
     *                        this code
     */
    public static JdbcStore open(JdbcStoreConfig config) {
        return open(config, Schema.LATEST);
    }

    /** Opens a store that knows the schema only up to {@code schemaVersion} (tests of migrations). */
    static JdbcStore open(JdbcStoreConfig config, int schemaVersion) {
        JdbcStore store = new JdbcStore(Objects.requireNonNull(config, "config"), schemaVersion);
        try {
            int from = store.runner.writer().started().get();
            store.files.ifPresent(H2Files::restrictFiles);
            log.info("store open: {} (schema version {}{})", store.where, schemaVersion,
                    from == schemaVersion ? "" : from == 0 ? ", created" : ", migrated from " + from);
            return store;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.close();
            throw new StoreException("interrupted while opening the store", e);
        } catch (ExecutionException e) {
            store.close();
            Throwable c = e.getCause();
            if (c instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("cannot open the store at " + store.where + ": " + c, c);
        }
    }

    /** Opens a store with {@link JdbcStoreConfig#DEFAULT} (embedded H2 under {@code ./data}). */
    public static JdbcStore open() {
        return open(JdbcStoreConfig.DEFAULT);
    }

    /** The settings of this store. */
    public JdbcStoreConfig config() {
        return config;
    }

    /** Number of transactions the writer committed so far (group commit: fewer than {@link #writeCount()}). */
    public long commitCount() {
        return runner.writer().commitCount();
    }

    /** Number of writes committed so far. */
    public long writeCount() {
        return runner.writer().writeCount();
    }

    /** Largest number of writes committed in one transaction so far. */
    public int largestBatch() {
        return runner.writer().largestBatch();
    }

    /**
     * Fails unless the current thread is one of a store's JDBC threads: store I/O must never run
     * on a caller's thread (a Netty event loop, a CometQL connection, …).
     */
    static void checkIoThread() {
        StoreThread.check();
    }

    private CompletableFuture<Void> write(String name, WriteSql sql) {
        return runner.write(name, h -> {
            sql.run(h);
            return null;
        });
    }

    /** SQL of a write without a result. */
    @FunctionalInterface
    private interface WriteSql {
        void run(Handle h) throws Exception;
    }

    // ---- users_auth, users_time, users_data

    @Override
    public CompletableFuture<Optional<String>> authHash(int devId, long userId) {
        return runner.read("authHash", h -> UserSql.authHash(h, devId, userId));
    }

    @Override
    public CompletableFuture<Void> putAuthHash(int devId, long userId, String hash) {
        return write("putAuthHash", h -> UserSql.putAuthHash(h, devId, userId, hash));
    }

    @Override
    public CompletableFuture<Void> deleteAuthHash(int devId, long userId) {
        return write("deleteAuthHash", h -> UserSql.deleteAuthHash(h, devId, userId));
    }

    @Override
    public CompletableFuture<Long> lastSeen(int devId, long userId) {
        return runner.read("lastSeen", h -> UserSql.lastSeen(h, devId, userId));
    }

    @Override
    public CompletableFuture<Void> putLastSeen(int devId, long userId, long unixSeconds) {
        return write("putLastSeen", h -> UserSql.putLastSeen(h, devId, userId, unixSeconds));
    }

    @Override
    public CompletableFuture<Optional<String>> userData(int devId, long userId) {
        return runner.read("userData", h -> UserSql.userData(h, devId, userId));
    }

    @Override
    public CompletableFuture<Void> putUserData(int devId, long userId, String data) {
        return write("putUserData", h -> UserSql.putUserData(h, devId, userId, data));
    }

    @Override
    public CompletableFuture<Void> deleteUserData(int devId, long userId) {
        return write("deleteUserData", h -> UserSql.deleteUserData(h, devId, userId));
    }

    // ---- users_messages

    @Override
    public CompletableFuture<Void> enqueue(int devId, long userId, QueuedMessage message, int maxPerUser) {
        return write("enqueue", h -> QueueSql.enqueue(h, devId, userId, message, maxPerUser));
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> queued(int devId, long userId, int limit) {
        return runner.read("queued", h -> QueueSql.queued(h, devId, userId, limit));
    }

    @Override
    public CompletableFuture<Void> deleteQueued(int devId, long userId, Collection<String> ids) {
        List<String> list = List.copyOf(ids);
        return write("deleteQueued", h -> QueueSql.deleteQueued(h, devId, userId, list));
    }

    @Override
    public CompletableFuture<Void> clearQueue(int devId, long userId) {
        return write("clearQueue", h -> QueueSql.clearQueue(h, devId, userId));
    }

    // ---- pipes_settings, history, streams

    @Override
    public CompletableFuture<List<PipeSetting>> pipeSettings() {
        return runner.read("pipeSettings", PipeSql::pipeSettings);
    }

    @Override
    public CompletableFuture<Void> putPipeSetting(int devId, String pipe, int length) {
        return write("putPipeSetting", h -> PipeSql.putPipeSetting(h, devId, pipe, length));
    }

    @Override
    public CompletableFuture<Void> deletePipeSetting(int devId, String pipe) {
        return write("deletePipeSetting", h -> PipeSql.deletePipeSetting(h, devId, pipe));
    }

    @Override
    public CompletableFuture<Void> appendHistory(int devId, String epoch, HistoryEntry entry, int keepNewest) {
        StreamPosition position = new StreamPosition(epoch, entry.offset()); // validates
        return write("appendHistory", h -> PipeSql.appendHistory(h, devId, position, entry, keepNewest));
    }

    @Override
    public CompletableFuture<Optional<StreamPosition>> stream(int devId, String pipe) {
        return runner.read("stream", h -> PipeSql.stream(h, devId, pipe));
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> history(int devId, String pipe, int limit) {
        return runner.read("history", h -> PipeSql.history(h, devId, pipe, limit));
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> historySince(int devId, String pipe, long afterOffset, int limit) {
        return runner.read("historySince", h -> PipeSql.historySince(h, devId, pipe, afterOffset, limit));
    }

    @Override
    public CompletableFuture<Void> deleteHistory(int devId, String pipe) {
        return write("deleteHistory", h -> PipeSql.deleteHistory(h, devId, pipe));
    }

    @Override
    public CompletableFuture<Void> deleteHistoryEntry(int devId, String id) {
        return write("deleteHistoryEntry", h -> PipeSql.deleteHistoryEntry(h, devId, id));
    }

    // ---- revoked_tokens

    @Override
    public CompletableFuture<Boolean> isRevoked(int devId, String token) {
        return runner.read("isRevoked", h -> TokenSql.isRevoked(h, devId, token));
    }

    @Override
    public CompletableFuture<Void> revoke(int devId, String token) {
        return write("revoke", h -> TokenSql.revoke(h, devId, token));
    }

    @Override
    public CompletableFuture<Void> unrevoke(int devId, String token) {
        return write("unrevoke", h -> TokenSql.unrevoke(h, devId, token));
    }

    @Override
    public CompletableFuture<List<String>> revokedTokens(int devId) {
        return runner.read("revokedTokens", h -> TokenSql.revokedTokens(h, devId));
    }

    // ---- maintenance

    @Override
    public CompletableFuture<Void> purge(long queueBefore, long trustHistoryBefore) {
        return write("purge", h -> {
            if (queueBefore != Long.MIN_VALUE) {
                QueueSql.purge(h, queueBefore);
            }
            if (trustHistoryBefore != Long.MIN_VALUE) {
                PipeSql.purgeTrustHistory(h, trustHistoryBefore);
            }
        });
    }

    /** {@code SELECT 1} on a reader connection, behind the writes issued before it. */
    @Override
    public CompletableFuture<Void> ping() {
        return runner.read("ping", h -> {
            h.createQuery("SELECT 1").mapTo(Integer.class).one();
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return runner.write("flush", null);
    }

    /**
     * Stops accepting operations, commits everything queued (waiting at most the operation
     * timeout), stops the store threads and closes the connections. Idempotent.
     */
    @Override
    public void close() {
        runner.close();
        files.ifPresent(H2Files::restrictFiles);
        log.info("store closed: {} ({} writes in {} commits)", where, writeCount(), commitCount());
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }
}
