package io.comet.core.store.jdbc;

import io.comet.core.store.HistoryEntry;
import io.comet.core.store.PipeSetting;
import io.comet.core.store.StreamPosition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL of the pipe tables: settings ({@code comet_pipes_settings}), history
 * ({@code comet_pipe_messages}, in publish order by {@code seq}, with each entry's
 * {@code msg_offset}) and streams ({@code comet_pipe_streams}: epoch and last appended offset).
 */
final class PipeSql {

    private static final String HISTORY_COLUMNS = "SELECT id, stored_at, pipe, event, message, user_id, msg_offset"
            + " FROM comet_pipe_messages";

    private PipeSql() {
    }

    // ---- settings

    static List<PipeSetting> pipeSettings(Handle h) {
        return h.createQuery("SELECT dev_id, pipe, history_length FROM comet_pipes_settings ORDER BY seq")
                .map((rs, ctx) -> new PipeSetting(rs.getInt(1), rs.getString(2), rs.getInt(3)))
                .collectIntoList();
    }

    static void putPipeSetting(Handle h, int devId, String pipe, int length) {
        int n = h.createUpdate("UPDATE comet_pipes_settings SET history_length = :l WHERE dev_id = :d AND pipe = :p")
                .bind("l", length).bind("d", devId).bind("p", pipe).execute();
        if (n == 0 && !Sql.exists(h, "SELECT COUNT(*) FROM comet_pipes_settings WHERE dev_id = :d AND pipe = :p",
                devId, pipe)) {
            h.createUpdate("INSERT INTO comet_pipes_settings (dev_id, pipe, history_length) VALUES (:d, :p, :l)")
                    .bind("d", devId).bind("p", pipe).bind("l", length).execute();
        }
    }

    /** Deletes the setting, the history and the stream of a pipe. */
    static void deletePipeSetting(Handle h, int devId, String pipe) {
        h.createUpdate("DELETE FROM comet_pipes_settings WHERE dev_id = :d AND pipe = :p")
                .bind("d", devId).bind("p", pipe).execute();
        deleteHistory(h, devId, pipe);
    }

    // ---- history and streams

    /** Stores the entry, sets the pipe's stream to (epoch, offset), then trims to the newest {@code keepNewest}. */
    static void appendHistory(Handle h, int devId, StreamPosition position, HistoryEntry entry, int keepNewest) {
        h.createUpdate("INSERT INTO comet_pipe_messages (id, dev_id, pipe, stored_at, event, message, user_id, msg_offset)"
                        + " VALUES (:id, :d, :p, :t, :e, :m, :u, :o)")
                .bind("id", entry.id()).bind("d", devId).bind("p", entry.pipe()).bind("t", entry.time())
                .bind("e", entry.event()).bind("m", entry.text()).bind("u", entry.userId())
                .bind("o", entry.offset())
                .execute();
        int n = h.createUpdate("UPDATE comet_pipe_streams SET epoch = :e, last_offset = :o WHERE dev_id = :d AND pipe = :p")
                .bind("e", position.epoch()).bind("o", position.offset()).bind("d", devId).bind("p", entry.pipe())
                .execute();
        if (n == 0 && !Sql.exists(h, "SELECT COUNT(*) FROM comet_pipe_streams WHERE dev_id = :d AND pipe = :p",
                devId, entry.pipe())) {
            h.createUpdate("INSERT INTO comet_pipe_streams (dev_id, pipe, epoch, last_offset) VALUES (:d, :p, :e, :o)")
                    .bind("d", devId).bind("p", entry.pipe()).bind("e", position.epoch()).bind("o", position.offset())
                    .execute();
        }
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
    }

    static Optional<StreamPosition> stream(Handle h, int devId, String pipe) {
        return h.createQuery("SELECT epoch, last_offset FROM comet_pipe_streams WHERE dev_id = :d AND pipe = :p")
                .bind("d", devId).bind("p", pipe)
                .map((rs, ctx) -> new StreamPosition(rs.getString(1), rs.getLong(2)))
                .findOne();
    }

    static List<HistoryEntry> history(Handle h, int devId, String pipe, int limit) {
        if (limit == 0) {
            return new ArrayList<>();
        }
        return h.createQuery(HISTORY_COLUMNS + " WHERE dev_id = :d AND pipe = :p ORDER BY seq" + Sql.limitClause(limit))
                .bind("d", devId).bind("p", pipe)
                .map((rs, ctx) -> historyEntry(rs))
                .collectIntoList();
    }

    /** Entries after {@code afterOffset} by offset (index comet_pipe_messages_offset). */
    static List<HistoryEntry> historySince(Handle h, int devId, String pipe, long afterOffset, int limit) {
        if (limit == 0) {
            return new ArrayList<>();
        }
        return h.createQuery(HISTORY_COLUMNS + " WHERE dev_id = :d AND pipe = :p AND msg_offset > :o"
                        + " ORDER BY msg_offset, seq" + Sql.limitClause(limit))
                .bind("d", devId).bind("p", pipe).bind("o", afterOffset)
                .map((rs, ctx) -> historyEntry(rs))
                .collectIntoList();
    }

    /** Deletes a pipe's entries and its stream. */
    static void deleteHistory(Handle h, int devId, String pipe) {
        h.createUpdate("DELETE FROM comet_pipe_messages WHERE dev_id = :d AND pipe = :p")
                .bind("d", devId).bind("p", pipe).execute();
        h.createUpdate("DELETE FROM comet_pipe_streams WHERE dev_id = :d AND pipe = :p")
                .bind("d", devId).bind("p", pipe).execute();
    }

    /** Deletes one entry by id; the stream stays. */
    static void deleteHistoryEntry(Handle h, int devId, String id) {
        h.createUpdate("DELETE FROM comet_pipe_messages WHERE dev_id = :d AND id = :id")
                .bind("d", devId).bind("id", id).execute();
    }

    /** Deletes {@code trust_*} entries stored before {@code before} (unix seconds); the streams stay. */
    static void purgeTrustHistory(Handle h, long before) {
        h.createUpdate("DELETE FROM comet_pipe_messages WHERE pipe LIKE :prefix ESCAPE '!' AND stored_at < :t")
                .bind("prefix", "trust!_%").bind("t", before).execute();
    }

    private static HistoryEntry historyEntry(ResultSet rs) throws SQLException {
        return new HistoryEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getLong(6), rs.getLong(7));
    }
}
