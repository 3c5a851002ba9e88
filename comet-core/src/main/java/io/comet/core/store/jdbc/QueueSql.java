package io.comet.core.store.jdbc;

import io.comet.core.ErrorCode;
import io.comet.core.LimitExceededException;
import io.comet.core.store.QueuedMessage;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** SQL of the offline queues, {@code comet_users_messages}: read and delete in enqueue ({@code seq}) order. */
final class QueueSql {

    /** Ids per {@code IN (…)} list. */
    private static final int IN_CHUNK = 500;

    private QueueSql() {
    }

    /** Appends a message; refuses it (before writing anything) when the queue holds {@code maxPerUser}. */
    static void enqueue(Handle h, int devId, long userId, QueuedMessage message, int maxPerUser) {
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
    }

    static List<QueuedMessage> queued(Handle h, int devId, long userId, int limit) {
        if (limit == 0) {
            return new ArrayList<>();
        }
        return h.createQuery("SELECT id, stored_at, event, message FROM comet_users_messages"
                        + " WHERE dev_id = :d AND user_id = :u ORDER BY seq" + Sql.limitClause(limit))
                .bind("d", devId).bind("u", userId)
                .map((rs, ctx) -> new QueuedMessage(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)))
                .collectIntoList();
    }

    static void deleteQueued(Handle h, int devId, long userId, List<String> ids) {
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            h.createUpdate("DELETE FROM comet_users_messages WHERE dev_id = :d AND user_id = :u AND id IN (<ids>)")
                    .bind("d", devId).bind("u", userId)
                    .bindList("ids", ids.subList(i, Math.min(ids.size(), i + IN_CHUNK)))
                    .execute();
        }
    }

    static void clearQueue(Handle h, int devId, long userId) {
        h.createUpdate("DELETE FROM comet_users_messages WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId).execute();
    }

    /** Deletes every queued message stored before {@code before} (unix seconds). */
    static void purge(Handle h, long before) {
        h.createUpdate("DELETE FROM comet_users_messages WHERE stored_at < :t").bind("t", before).execute();
    }
}
