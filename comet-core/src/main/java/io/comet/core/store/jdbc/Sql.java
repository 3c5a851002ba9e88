package io.comet.core.store.jdbc;

import org.jdbi.v3.core.Handle;

/** Statement helpers shared by the per-table SQL classes (store threads only). */
final class Sql {

    private Sql() {
    }

    /** Whether {@code sql} (a COUNT with parameters :d and :p) finds a row. */
    static boolean exists(Handle h, String sql, int devId, Object p) {
        return h.createQuery(sql).bind("d", devId).bind("p", p).mapTo(Integer.class).one() > 0;
    }

    /** {@code " LIMIT n"}, or nothing for a negative limit (all rows). */
    static String limitClause(int limit) {
        return limit > 0 ? " LIMIT " + limit : "";
    }

    /**
     * Upserts {@code column} of a row keyed by (dev_id, user_id): an UPDATE, then an INSERT when no
     * row exists (portable across H2 and MySQL, whose UPDATE may count unchanged rows as 0).
     */
    static void upsertUser(Handle h, String table, String column, int devId, long userId, Object value) {
        int n = h.createUpdate("UPDATE " + table + " SET " + column + " = :v WHERE dev_id = :d AND user_id = :u")
                .bind("v", value).bind("d", devId).bind("u", userId).execute();
        if (n == 0 && !exists(h, "SELECT COUNT(*) FROM " + table + " WHERE dev_id = :d AND user_id = :p", devId, userId)) {
            h.createUpdate("INSERT INTO " + table + " (dev_id, user_id, " + column + ") VALUES (:d, :u, :v)")
                    .bind("d", devId).bind("u", userId).bind("v", value).execute();
        }
    }
}
