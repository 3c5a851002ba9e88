package io.comet.core.store.jdbc;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL of the per-user tables: {@code comet_users_auth}, {@code comet_users_time}, {@code comet_users_data}. */
final class UserSql {

    private UserSql() {
    }

    static Optional<String> authHash(Handle h, int devId, long userId) {
        return h.createQuery("SELECT hash FROM comet_users_auth WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId)
                .mapTo(String.class).findOne();
    }

    static void putAuthHash(Handle h, int devId, long userId, String hash) {
        Sql.upsertUser(h, "comet_users_auth", "hash", devId, userId, hash);
    }

    static void deleteAuthHash(Handle h, int devId, long userId) {
        delete(h, "comet_users_auth", devId, userId);
    }

    static long lastSeen(Handle h, int devId, long userId) {
        return h.createQuery("SELECT seen_at FROM comet_users_time WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId)
                .mapTo(Long.class).findOne().orElse(-1L);
    }

    static void putLastSeen(Handle h, int devId, long userId, long unixSeconds) {
        Sql.upsertUser(h, "comet_users_time", "seen_at", devId, userId, unixSeconds);
    }

    static Optional<String> userData(Handle h, int devId, long userId) {
        return h.createQuery("SELECT data FROM comet_users_data WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId)
                .mapTo(String.class).findOne();
    }

    static void putUserData(Handle h, int devId, long userId, String data) {
        Sql.upsertUser(h, "comet_users_data", "data", devId, userId, data);
    }

    static void deleteUserData(Handle h, int devId, long userId) {
        delete(h, "comet_users_data", devId, userId);
    }

    private static void delete(Handle h, String table, int devId, long userId) {
        h.createUpdate("DELETE FROM " + table + " WHERE dev_id = :d AND user_id = :u")
                .bind("d", devId).bind("u", userId).execute();
    }
}
