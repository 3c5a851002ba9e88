package io.comet.cometql.table;

import java.util.List;

/** What a statement produced: rows, or an update count (cometql.md §1.7, §1.8). */
public sealed interface QueryResult {

    /** A result set: column names and text rows (every value a string). */
    record Rows(String table, List<String> columns, List<List<String>> rows) implements QueryResult {
    }

    /** An OK with affected rows and last insert id (cometql.md §10 quirks 1–2). */
    record Update(long affectedRows, long lastInsertId) implements QueryResult {
        /** OK(0, 0). */
        public static final Update NONE = new Update(0, 0);
    }
}
