package io.comet.core.store.jdbc;

import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import io.comet.core.LimitExceededException;
import io.comet.core.StoreException;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.PipeSetting;
import io.comet.core.store.QueuedMessage;
import io.comet.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link Store} on a SQL database through Jdbi: an embedded H2 file database by
 * default, MySQL or MariaDB in production (cometql.md §6, ARCHITECTURE.md rule 5).
 *
 * <p><b>Threads.</b> Every JDBC call runs on the store's own threads, never on the caller's:
 * one writer ({@code comet-store-writer}) and {@code poolSize - 1} readers
 * ({@code comet-store-reader-N}), each owning one connection; futures complete on
 * {@code comet-store-callback-N} threads, so callers' continuations never hold up the writer.
 * {@link #checkIoThread()} guards the JDBC paths.
 *
 * <p><b>Group commit.</b> Writes enter one FIFO queue. The writer takes everything queued (up to
 * {@link JdbcStoreConfig#writeBatchSize()}), runs it in one transaction, commits, and only then
 * completes the futures of the batch: a completed write is durable. Concurrent writers therefore
 * share commits. A statement error in a batch re-runs the batch one write per transaction so
 * only the faulty write fails; a refused {@code enqueue} (queue full) fails alone.
 *
 * <p><b>Lazy writes.</b> {@link #appendHistory} and {@link #putLastSeen} share the same queue and
 * commits; {@link #flush()} completes when everything issued before it is committed, and
 * {@link #close()} flushes.
 *
 * <p><b>Read-your-writes.</b> A read waits until every write issued before it has been committed
 * (or has failed), then runs on a reader thread; it may also see writes issued after it.
 *
 * <p><b>Failures.</b> Each operation has a deadline ({@link JdbcStoreConfig#operationTimeout()});
 * past it the future fails with a {@link StoreException} (code 500). A lost connection is
 * discarded and reopened, retrying until the deadline, so the store recovers by itself when the
 * database returns. A write whose future timed out while its transaction was running may still
 * have been committed, as with any database client.
 */
public final class JdbcStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(JdbcStore.class);

    /** Prefix of every thread this store starts. */
    public static final String THREAD_PREFIX = "comet-store-";

    private static final long RETRY_PAUSE_MS = 200;
    private static final long IDLE_VALIDATION_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int IN_CHUNK = 500;
    private static final WriteOp<Void> POISON = new WriteOp<>("poison", null, 0);

    private final JdbcStoreConfig config;
    private final Dialect dialect;
    private final Jdbi jdbi;
    private final String where;
    private final int schemaVersion;
    private final LinkedBlockingQueue<WriteOp<?>> writes = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final IoThread writer;
    private final ThreadPoolExecutor readers;
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor callbacks;
    private final List<IoThread> ioThreads = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedWrites = new AtomicLong();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private volatile CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private final AtomicBoolean shutDown = new AtomicBoolean();

    private JdbcStore(JdbcStoreConfig config, int schemaVersion) {
        this.config = config;
        this.schemaVersion = schemaVersion;
        this.dialect = Dialect.of(config.jdbcUrl());
        this.where = redact(config.jdbcUrl());
        Properties props = dialect.connectionProperties(config);
        String url = config.jdbcUrl();
        int networkTimeout = (int) Math.min(Integer.MAX_VALUE, config.queryTimeout().toMillis() + 1000);
        this.jdbi = Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() throws SQLException {
                checkIoThread();
                Connection c;
                try {
                    c = DriverManager.getConnection(url, props);
                } catch (SQLException e) {
                    if ("08001".equals(e.getSQLState()) && e.getMessage() != null
                            && e.getMessage().startsWith("No suitable driver")) {
                        throw new SQLException("no JDBC driver for " + where + " on the class path"
                                + (dialect == Dialect.MYSQL ? " (add com.mysql:mysql-connector-j)" : ""), "08001");
                    }
                    throw e;
                }
                try {
                    c.setNetworkTimeout(Runnable::run, networkTimeout);
                } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
                    log.debug("driver of {} has no network timeout", where);
                }
                return c;
            }
        });
        jdbi.getConfig(SqlStatements.class)
                .setQueryTimeout((int) Math.max(1, config.queryTimeout().toSeconds()));

        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, THREAD_PREFIX + "timer"));
        timer.setRemoveOnCancelPolicy(true);
        AtomicInteger callbackIds = new AtomicInteger();
        this.callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, THREAD_PREFIX + "callback-" + callbackIds.incrementAndGet()));
        AtomicInteger readerIds = new AtomicInteger();
        this.readers = new ThreadPoolExecutor(config.poolSize() - 1, config.poolSize() - 1, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> newIoThread(r, THREAD_PREFIX + "reader-" + readerIds.incrementAndGet()));
        this.writer = newIoThread(this::writerLoop, THREAD_PREFIX + "writer");
        writer.start();
    }

    /**
     * Opens a store: connects (up to {@link JdbcStoreConfig#connectionAttempts()} times),
     * creates or migrates the schema, and starts the store threads. Blocks the calling thread
     * until the database is ready (JDBC still runs on the store's writer thread).
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
            int from = store.started.get();
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
        return commits.get();
    }

    /** Number of writes committed so far. */
    public long writeCount() {
        return committedWrites.get();
    }

    /** Largest number of writes committed in one transaction so far. */
    public int largestBatch() {
        return largestBatch.get();
    }

    /**
     * Fails unless the current thread is one of a store's JDBC threads: store I/O must never run
     * on a caller's thread (a Netty event loop, a CometQL connection, …).
     */
    static void checkIoThread() {
        if (!(Thread.currentThread() instanceof IoThread)) {
            throw new IllegalStateException("JDBC call on thread " + Thread.currentThread().getName()
                    + ": store I/O must run on the store's " + THREAD_PREFIX + "* threads");
        }
    }

    // =====================================================================================
    // users_auth

    @Override
    public CompletableFuture<Optional<String>> authHash(int devId, long userId) {
        return read("authHash", h -> h.createQuery("SELECT hash FROM comet_users_auth WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId)
                .mapTo(String.class).findOne());
    }

    @Override
    public CompletableFuture<Void> putAuthHash(int devId, long userId, String hash) {
        return write("putAuthHash", h -> {
            upsertUser(h, "comet_users_auth", "hash", devId, userId, hash);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> deleteAuthHash(int devId, long userId) {
        return write("deleteAuthHash", h -> {
            h.createUpdate("DELETE FROM comet_users_auth WHERE dev_id = :d AND user_id = :u")
                    .bind("d", devId).bind("u", userId).execute();
            return null;
        });
    }

    // =====================================================================================
    // users_time

    @Override
    public CompletableFuture<Long> lastSeen(int devId, long userId) {
        return read("lastSeen", h -> h.createQuery("SELECT seen_at FROM comet_users_time WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId)
                .mapTo(Long.class).findOne().orElse(-1L));
    }

    @Override
    public CompletableFuture<Void> putLastSeen(int devId, long userId, long unixSeconds) {
        return write("putLastSeen", h -> {
            upsertUser(h, "comet_users_time", "seen_at", devId, userId, unixSeconds);
            return null;
        });
    }

    // =====================================================================================
    // users_messages

    @Override
    public CompletableFuture<Void> enqueue(int devId, long userId, QueuedMessage message, int maxPerUser) {
        return write("enqueue", h -> {
            int n = h.createQuery("SELECT COUNT(*) FROM comet_users_messages WHERE dev_id = :d AND user_id = :u")
                    .bind("d", devId).bind("u", userId)
                    .mapTo(Integer.class).one();
            if (n >= maxPerUser) {
                throw new LimitExceededException(ErrorCode.OVERFLOW, "maxQueuedMessagesPerUser",
                        "Too many queued messages for user " + userId + " (max " + maxPerUser + ")");
            }
            h.createUpdate("INSERT INTO comet_users_messages (id, dev_id, user_id, stored_at, event, message)"
                            + " VALUES (:id, :d, :u, :t, :e, :m)")
                    .bind("id", message.id()).bind("d", devId).bind("u", userId)
                    .bind("t", message.time()).bind("e", message.event()).bind("m", message.text())
                    .execute();
            return null;
        });
    }

    @Override
    public CompletableFuture<List<QueuedMessage>> queued(int devId, long userId, int limit) {
        if (limit == 0) {
            return read("queued", h -> new ArrayList<>());
        }
        return read("queued", h -> h.createQuery("SELECT id, stored_at, event, message FROM comet_users_messages"
                        + " WHERE dev_id = :d AND user_id = :u ORDER BY seq" + limitClause(limit))
                .bind("d", devId).bind("u", userId)
                .map((rs, ctx) -> new QueuedMessage(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                .collectIntoList());
    }

    @Override
    public CompletableFuture<Void> deleteQueued(int devId, long userId, Collection<String> ids) {
        List<String> list = List.copyOf(ids);
        return write("deleteQueued", h -> {
            for (int i = 0; i < list.size(); i += IN_CHUNK) {
                h.createUpdate("DELETE FROM comet_users_messages WHERE dev_id = :d AND user_id = :u AND id IN (<ids>)")
                        .bind("d", devId).bind("u", userId)
                        .bindList("ids", list.subList(i, Math.min(list.size(), i + IN_CHUNK)))
                        .execute();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> clearQueue(int devId, long userId) {
        return write("clearQueue", h -> {
            h.createUpdate("DELETE FROM comet_users_messages WHERE dev_id = :d AND user_id = :u")
                    .bind("d", devId).bind("u", userId).execute();
            return null;
        });
    }

    // =====================================================================================
    // pipes_settings

    @Override
    public CompletableFuture<List<PipeSetting>> pipeSettings() {
        return read("pipeSettings", h -> h.createQuery("SELECT dev_id, pipe, history_length FROM comet_pipes_settings ORDER BY seq")
                .map((rs, ctx) -> new PipeSetting(rs.getInt(1), rs.getString(2), rs.getInt(3)))
                .collectIntoList());
    }

    @Override
    public CompletableFuture<Void> putPipeSetting(int devId, String pipe, int length) {
        return write("putPipeSetting", h -> {
            int n = h.createUpdate("UPDATE comet_pipes_settings SET history_length = :l WHERE dev_id = :d AND pipe = :p")
                    .bind("l", length).bind("d", devId).bind("p", pipe).execute();
            if (n == 0 && !exists(h, "SELECT COUNT(*) FROM comet_pipes_settings WHERE dev_id = :d AND pipe = :p",
                    devId, pipe)) {
                h.createUpdate("INSERT INTO comet_pipes_settings (dev_id, pipe, history_length) VALUES (:d, :p, :l)")
                        .bind("d", devId).bind("p", pipe).bind("l", length).execute();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> deletePipeSetting(int devId, String pipe) {
        return write("deletePipeSetting", h -> {
            h.createUpdate("DELETE FROM comet_pipes_settings WHERE dev_id = :d AND pipe = :p")
                    .bind("d", devId).bind("p", pipe).execute();
            h.createUpdate("DELETE FROM comet_pipe_messages WHERE dev_id = :d AND pipe = :p")
                    .bind("d", devId).bind("p", pipe).execute();
            return null;
        });
    }

    // =====================================================================================
    // pipes_messages (history)

    @Override
    public CompletableFuture<Optional<io.comet.core.store.StreamPosition>> stream(int devId, String pipe) {
        return CompletableFuture.completedFuture(Optional.empty()); // placeholder until offsets are stored
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> historySince(int devId, String pipe, long afterOffset, int limit) {
        return CompletableFuture.completedFuture(List.of()); // placeholder until offsets are stored
    }

    @Override
    public CompletableFuture<Void> appendHistory(int devId, String epoch, HistoryEntry entry, int keepNewest) {
        return write("appendHistory", h -> {
            h.createUpdate("INSERT INTO comet_pipe_messages (id, dev_id, pipe, stored_at, event, message, user_id)"
                            + " VALUES (:id, :d, :p, :t, :e, :m, :u)")
                    .bind("id", entry.id()).bind("d", devId).bind("p", entry.pipe()).bind("t", entry.time())
                    .bind("e", entry.event()).bind("m", entry.text()).bind("u", entry.userId())
                    .execute();
            if (keepNewest > 0) {
                Optional<Long> oldestKept = h.createQuery("SELECT seq FROM comet_pipe_messages WHERE dev_id = :d AND pipe = :p"
                                + " ORDER BY seq DESC LIMIT 1 OFFSET " + (keepNewest - 1))
                        .bind("d", devId).bind("p", entry.pipe())
                        .mapTo(Long.class).findOne();
                if (oldestKept.isPresent()) {
                    h.createUpdate("DELETE FROM comet_pipe_messages WHERE dev_id = :d AND pipe = :p AND seq < :s")
                            .bind("d", devId).bind("p", entry.pipe()).bind("s", oldestKept.get())
                            .execute();
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> history(int devId, String pipe, int limit) {
        if (limit == 0) {
            return read("history", h -> new ArrayList<>());
        }
        return read("history", h -> h.createQuery("SELECT id, stored_at, pipe, event, message, user_id FROM comet_pipe_messages"
                        + " WHERE dev_id = :d AND pipe = :p ORDER BY seq" + limitClause(limit))
                .bind("d", devId).bind("p", pipe)
                .map((rs, ctx) -> new HistoryEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), 0))
                .collectIntoList());
    }

    @Override
    public CompletableFuture<Void> deleteHistory(int devId, String pipe) {
        return write("deleteHistory", h -> {
            h.createUpdate("DELETE FROM comet_pipe_messages WHERE dev_id = :d AND pipe = :p")
                    .bind("d", devId).bind("p", pipe).execute();
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> deleteHistoryEntry(int devId, String id) {
        return write("deleteHistoryEntry", h -> {
            h.createUpdate("DELETE FROM comet_pipe_messages WHERE dev_id = :d AND id = :id")
                    .bind("d", devId).bind("id", id).execute();
            return null;
        });
    }

    // =====================================================================================
    // users_data

    @Override
    public CompletableFuture<Optional<String>> userData(int devId, long userId) {
        return read("userData", h -> h.createQuery("SELECT data FROM comet_users_data WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId)
                .mapTo(String.class).findOne());
    }

    @Override
    public CompletableFuture<Void> putUserData(int devId, long userId, String data) {
        return write("putUserData", h -> {
            upsertUser(h, "comet_users_data", "data", devId, userId, data);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> deleteUserData(int devId, long userId) {
        return write("deleteUserData", h -> {
            h.createUpdate("DELETE FROM comet_users_data WHERE dev_id = :d AND user_id = :u")
                    .bind("d", devId).bind("u", userId).execute();
            return null;
        });
    }

    // =====================================================================================
    // revoked_tokens (tokens can be long: rows are keyed by the SHA-256 of the token)

    @Override
    public CompletableFuture<Boolean> isRevoked(int devId, String token) {
        String hash = sha256(token);
        return read("isRevoked", h -> h.createQuery("SELECT token FROM comet_revoked_tokens WHERE dev_id = :d AND token_hash = :h")
                .bind("d", devId).bind("h", hash)
                .mapTo(String.class).findOne().map(token::equals).orElse(false));
    }

    @Override
    public CompletableFuture<Void> revoke(int devId, String token) {
        String hash = sha256(token);
        return write("revoke", h -> {
            if (!exists(h, "SELECT COUNT(*) FROM comet_revoked_tokens WHERE dev_id = :d AND token_hash = :p", devId, hash)) {
                h.createUpdate("INSERT INTO comet_revoked_tokens (dev_id, token_hash, token) VALUES (:d, :h, :t)")
                        .bind("d", devId).bind("h", hash).bind("t", token).execute();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> unrevoke(int devId, String token) {
        String hash = sha256(token);
        return write("unrevoke", h -> {
            h.createUpdate("DELETE FROM comet_revoked_tokens WHERE dev_id = :d AND token_hash = :h")
                    .bind("d", devId).bind("h", hash).execute();
            return null;
        });
    }

    @Override
    public CompletableFuture<List<String>> revokedTokens(int devId) {
        return read("revokedTokens", h -> h.createQuery("SELECT token FROM comet_revoked_tokens WHERE dev_id = :d ORDER BY seq")
                .bind("d", devId)
                .mapTo(String.class).collectIntoList());
    }

    // =====================================================================================
    // maintenance

    @Override
    public CompletableFuture<Void> purge(long queueBefore, long trustHistoryBefore) {
        return write("purge", h -> {
            if (queueBefore != Long.MIN_VALUE) {
                h.createUpdate("DELETE FROM comet_users_messages WHERE stored_at < :t")
                        .bind("t", queueBefore).execute();
            }
            if (trustHistoryBefore != Long.MIN_VALUE) {
                h.createUpdate("DELETE FROM comet_pipe_messages WHERE pipe LIKE :prefix ESCAPE '!' AND stored_at < :t")
                        .bind("prefix", "trust!_%").bind("t", trustHistoryBefore).execute();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return write("flush", null);
    }

    /**
     * Stops accepting operations, commits everything queued (waiting at most the operation
     * timeout), stops the store threads and closes the connections. Idempotent.
     */
    @Override
    public void close() {
        WriteOp<Void> last;
        synchronized (submitLock) {
            if (!shutDown.compareAndSet(false, true)) {
                return;
            }
            closed.set(true);
            last = newWrite("close", null);
            writes.add(last);
            writes.add(POISON);
        }
        long waitMs = config.operationTimeout().toMillis() + 1000;
        try {
            if (!started.isCompletedExceptionally()) {
                last.result.get(waitMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("store {}: writes still pending at close may be lost: {}", where, e.toString());
        }
        try {
            writer.join(waitMs);
            readers.shutdown();
            readers.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
            for (IoThread t : ioThreads) {
                t.join(waitMs); // each closes its own connection as it ends
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        callbacks.shutdown();
        log.info("store closed: {} ({} writes in {} commits)", where, committedWrites.get(), commits.get());
    }

    // =====================================================================================
    // SQL helpers (store threads only)

    private static void upsertUser(Handle h, String table, String column, int devId, long userId, Object value) {
        int n = h.createUpdate("UPDATE " + table + " SET " + column + " = :v WHERE dev_id = :d AND user_id = :u")
                .bind("v", value).bind("d", devId).bind("u", userId).execute();
        if (n == 0 && !exists(h, "SELECT COUNT(*) FROM " + table + " WHERE dev_id = :d AND user_id = :p", devId, userId)) {
            h.createUpdate("INSERT INTO " + table + " (dev_id, user_id, " + column + ") VALUES (:d, :u, :v)")
                    .bind("d", devId).bind("u", userId).bind("v", value).execute();
        }
    }

    /** Whether {@code sql} (a COUNT with parameters :d and :p) finds a row. */
    private static boolean exists(Handle h, String sql, int devId, Object p) {
        return h.createQuery(sql).bind("d", devId).bind("p", p).mapTo(Integer.class).one() > 0;
    }

    private static String limitClause(int limit) {
        return limit > 0 ? " LIMIT " + limit : "";
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    // =====================================================================================
    // Operations, queues and threads

    /** The SQL of one operation, run on a store thread; may throw a {@link CometException} before writing. */
    @FunctionalInterface
    interface Action<T> {
        T apply(Handle h) throws Exception;
    }

    private abstract static class Op<T> {
        final String name;
        final Action<T> action;
        final long deadlineNanos;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;
        T value;
        RuntimeException failure;

        Op(String name, Action<T> action, long deadlineNanos) {
            this.name = name;
            this.action = action;
            this.deadlineNanos = deadlineNanos;
        }

        /** True once a result was decided (completed, failed or timed out). */
        boolean isFinished() {
            return finished.get();
        }
    }

    private static final class WriteOp<T> extends Op<T> {
        /** Completes when the op's transaction committed or failed (before callers are told). */
        final CompletableFuture<Void> settled = new CompletableFuture<>();

        WriteOp(String name, Action<T> action, long deadlineNanos) {
            super(name, action, deadlineNanos);
        }
    }

    private static final class ReadOp<T> extends Op<T> {
        ReadOp(String name, Action<T> action, long deadlineNanos) {
            super(name, action, deadlineNanos);
        }
    }

    /** A store thread that owns one JDBC connection (as a Jdbi handle) and closes it when it ends. */
    private static final class IoThread extends Thread {
        Handle handle;
        long lastUsed;

        IoThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                super.run();
            } finally {
                discardHandle(this);
            }
        }
    }

    private IoThread newIoThread(Runnable r, String name) {
        IoThread t = new IoThread(r, name);
        ioThreads.add(t);
        return t;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private <T> WriteOp<T> newWrite(String name, Action<T> action) {
        WriteOp<T> op = new WriteOp<>(name, action, System.nanoTime() + config.operationTimeout().toNanos());
        armTimeout(op);
        tail = op.settled;
        return op;
    }

    private <T> CompletableFuture<T> write(String name, Action<T> action) {
        synchronized (submitLock) {
            if (closed.get()) {
                return CompletableFuture.failedFuture(closedException(name));
            }
            WriteOp<T> op = newWrite(name, action);
            writes.add(op);
            return op.result;
        }
    }

    private <T> CompletableFuture<T> read(String name, Action<T> action) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException(name));
        }
        ReadOp<T> op = new ReadOp<>(name, action, System.nanoTime() + config.operationTimeout().toNanos());
        armTimeout(op);
        // read-your-writes: run after every write issued before this read has settled
        tail.whenComplete((v, e) -> {
            try {
                readers.execute(() -> runRead(op));
            } catch (RejectedExecutionException ex) {
                fail(op, closedException(name));
            }
        });
        return op.result;
    }

    private StoreException closedException(String name) {
        return new StoreException("Store is closed (" + name + ")", null);
    }

    private void armTimeout(Op<?> op) {
        long ms = config.operationTimeout().toMillis();
        try {
            op.timeout = timer.schedule(() -> fail(op, new StoreException("Store operation " + op.name
                    + " timed out after " + ms + " ms (database " + where + " slow or unreachable)", null)),
                    ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // timer stopped at close: the op completes or fails on its own
        }
    }

    private <T> void succeed(Op<T> op, T value) {
        if (op.finished.compareAndSet(false, true)) {
            cancelTimeout(op);
            dispatch(() -> op.result.complete(value));
        }
    }

    private void fail(Op<?> op, RuntimeException e) {
        if (op.finished.compareAndSet(false, true)) {
            cancelTimeout(op);
            dispatch(() -> op.result.completeExceptionally(e));
        }
    }

    private static void cancelTimeout(Op<?> op) {
        ScheduledFuture<?> t = op.timeout;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void dispatch(Runnable r) {
        try {
            callbacks.execute(r);
        } catch (RejectedExecutionException e) {
            r.run(); // after close: complete on the current thread
        }
    }

    // ---- writer

    private void writerLoop() {
        try {
            started.complete(startUp());
        } catch (Throwable e) {
            started.completeExceptionally(e);
            failQueuedAtStartFailure(e);
            return;
        }
        int max = config.writeBatchSize();
        long delayNanos = config.maxBatchDelay().toNanos();
        List<WriteOp<?>> batch = new ArrayList<>(max);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(writes.take());
                writes.drainTo(batch, max - batch.size());
                if (delayNanos > 0 && batch.size() < max) {
                    long until = System.nanoTime() + delayNanos;
                    long left;
                    while (batch.size() < max && (left = until - System.nanoTime()) > 0) {
                        WriteOp<?> next = writes.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                        writes.drainTo(batch, max - batch.size());
                    }
                }
            } catch (InterruptedException e) {
                stop = true;
            }
            if (batch.remove(POISON)) {
                stop = true; // nothing is queued after the poison
            }
            try {
                runBatch(batch);
            } catch (Throwable e) {
                log.error("store {}: writer failed on a batch of {}", where, batch.size(), e);
                for (WriteOp<?> op : batch) {
                    fail(op, new StoreException("Store write failed: " + e, e));
                    op.settled.complete(null);
                }
            }
            batch.clear();
        }
    }

    private int startUp() throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.connectionAttempts(); attempt++) {
            try {
                Handle h = handle();
                int from = Schema.migrate(h, dialect, schemaVersion, where);
                if (dialect == Dialect.H2) {
                    try {
                        // an acknowledged commit must be in the file even if the process is killed
                        // right after (H2 otherwise writes up to 500 ms later); persistent setting
                        h.execute("SET WRITE_DELAY 0");
                    } catch (RuntimeException e) {
                        log.warn("store {}: cannot SET WRITE_DELAY 0 (needs an admin user): acknowledged writes"
                                + " may be lost if the process is killed", where);
                    }
                }
                return from;
            } catch (StoreException e) {
                throw e; // schema refused: retrying will not help
            } catch (RuntimeException e) {
                last = e;
                discardHandle((IoThread) Thread.currentThread());
                log.warn("store {}: connection attempt {}/{} failed: {}", where, attempt, config.connectionAttempts(),
                        rootMessage(e));
                if (attempt < config.connectionAttempts()) {
                    Thread.sleep(config.connectionRetryDelay().toMillis());
                }
            }
        }
        throw new StoreException("Cannot connect to the store database " + where + " after "
                + config.connectionAttempts() + " attempt(s): " + rootMessage(last), last);
    }

    private void failQueuedAtStartFailure(Throwable e) {
        synchronized (submitLock) {
            closed.set(true);
        }
        List<WriteOp<?>> left = new ArrayList<>();
        writes.drainTo(left);
        for (WriteOp<?> op : left) {
            fail(op, new StoreException("Store failed to start: " + e.getMessage(), e));
            op.settled.complete(null);
        }
    }

    private void runBatch(List<WriteOp<?>> batch) throws InterruptedException {
        List<WriteOp<?>> live = new ArrayList<>(batch.size());
        for (WriteOp<?> op : batch) {
            if (op.action != null && !op.isFinished()) {
                live.add(op);
            }
        }
        try {
            if (!live.isEmpty()) {
                execute(live, true);
            }
        } finally {
            for (WriteOp<?> op : batch) {
                op.settled.complete(null);
            }
        }
        // callers learn the outcome only now, after COMMIT, in issue order
        List<WriteOp<?>> done = List.copyOf(batch); // the writer reuses its batch list
        dispatch(() -> {
            for (WriteOp<?> op : done) {
                complete(op);
            }
        });
    }

    private <T> void complete(WriteOp<T> op) {
        if (!op.finished.compareAndSet(false, true)) {
            return;
        }
        cancelTimeout(op);
        if (op.failure != null) {
            op.result.completeExceptionally(op.failure);
        } else {
            op.result.complete(op.value);
        }
    }

    /** Runs the ops in one transaction; sets each op's value or failure. */
    private void execute(List<WriteOp<?>> ops, boolean isolateOnError) throws InterruptedException {
        while (true) {
            Handle h = null;
            boolean committing = false;
            try {
                h = handle();
                h.begin();
                for (WriteOp<?> op : ops) {
                    apply(h, op);
                }
                committing = true;
                h.commit();
                commits.incrementAndGet();
                committedWrites.addAndGet(ops.size());
                largestBatch.accumulateAndGet(ops.size(), Math::max);
                return;
            } catch (RuntimeException e) {
                boolean connectionLost = isConnectionProblem(h, e);
                rollbackQuietly(h);
                if (committing) {
                    discardHandle((IoThread) Thread.currentThread());
                    failAll(ops, "Store commit failed (outcome unknown)", e);
                    return;
                }
                if (connectionLost) {
                    discardHandle((IoThread) Thread.currentThread());
                    ops.removeIf(Op::isFinished);
                    if (ops.isEmpty()) {
                        return;
                    }
                    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS) < earliestDeadline(ops)) {
                        log.debug("store {}: connection lost ({}), retrying {} writes", where, rootMessage(e), ops.size());
                        Thread.sleep(RETRY_PAUSE_MS);
                        continue;
                    }
                    failAll(ops, "Store database " + where + " unavailable", e);
                    return;
                }
                if (isolateOnError && ops.size() > 1) {
                    // one bad write must not fail the others: one transaction per write
                    for (WriteOp<?> op : ops) {
                        if (!op.isFinished()) {
                            execute(new ArrayList<>(List.of(op)), false);
                        }
                    }
                    return;
                }
                failAll(ops, "Store write failed", e);
                return;
            }
        }
    }

    private static <T> void apply(Handle h, WriteOp<T> op) throws RuntimeException {
        op.value = null;
        op.failure = null;
        try {
            op.value = op.action.apply(h);
        } catch (CometException e) {
            op.failure = e; // refused before writing anything (e.g. queue full)
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void failAll(List<WriteOp<?>> ops, String what, RuntimeException e) {
        StoreException se = new StoreException(what + ": " + rootMessage(e), e);
        for (WriteOp<?> op : ops) {
            op.value = null;
            op.failure = se;
        }
    }

    // ---- readers

    private <T> void runRead(ReadOp<T> op) {
        while (!op.isFinished()) {
            Handle h = null;
            try {
                h = handle();
                T v = op.action.apply(h);
                succeed(op, v);
                return;
            } catch (Exception e) {
                RuntimeException re = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                if (isConnectionProblem(h, re)) {
                    discardHandle((IoThread) Thread.currentThread());
                    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS) < op.deadlineNanos) {
                        try {
                            Thread.sleep(RETRY_PAUSE_MS);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            fail(op, closedException(op.name));
                            return;
                        }
                        continue;
                    }
                    fail(op, new StoreException("Store database " + where + " unavailable: " + rootMessage(re), re));
                } else {
                    fail(op, new StoreException("Store read failed: " + rootMessage(re), re));
                }
                return;
            }
        }
    }

    // ---- connections

    /** The current store thread's handle, (re)connecting when needed. */
    private Handle handle() {
        checkIoThread();
        IoThread t = (IoThread) Thread.currentThread();
        long now = System.nanoTime();
        if (t.handle != null && now - t.lastUsed > IDLE_VALIDATION_NANOS) {
            boolean valid;
            try {
                valid = t.handle.getConnection().isValid(1);
            } catch (SQLException e) {
                valid = false;
            }
            if (!valid) {
                discardHandle(t);
            }
        }
        if (t.handle == null) {
            t.handle = jdbi.open();
        }
        t.lastUsed = now;
        return t.handle;
    }

    private static void discardHandle(IoThread t) {
        Handle h = t.handle;
        t.handle = null;
        if (h != null) {
            try {
                if (h.isInTransaction()) {
                    h.rollback();
                }
            } catch (RuntimeException e) {
                // connection already broken
            }
            try {
                h.close();
            } catch (RuntimeException e) {
                log.debug("closing a store connection failed: {}", e.toString());
            }
        }
    }

    private static void rollbackQuietly(Handle h) {
        if (h == null) {
            return;
        }
        try {
            if (h.isInTransaction()) {
                h.rollback();
            }
        } catch (RuntimeException e) {
            // the connection is discarded by the caller when broken
        }
    }

    private static boolean isConnectionProblem(Handle h, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectionException) {
                return true; // could not open a connection
            }
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException
                    || c instanceof SQLRecoverableException || c instanceof SQLTimeoutException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        if (h == null) {
            return true;
        }
        try {
            return !h.getConnection().isValid(1);
        } catch (SQLException | RuntimeException ex) {
            return true;
        }
    }

    private static long earliestDeadline(List<? extends Op<?>> ops) {
        long d = Long.MAX_VALUE;
        for (Op<?> op : ops) {
            d = Math.min(d, op.deadlineNanos);
        }
        return d;
    }

    private static String rootMessage(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
