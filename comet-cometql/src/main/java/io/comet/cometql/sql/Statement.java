package io.comet.cometql.sql;

import java.util.List;

/** One parsed CometQL statement (cometql.md §2.2, widened for the connect-time queries of §1.11). */
public sealed interface Statement {

    /** {@code SELECT cols FROM table [WHERE …] [ORDER BY …] [LIMIT …]}; {@code columns} is null for {@code *}. */
    record Select(List<String> columns, String table, Where where, boolean orderBy, Limit limit) implements Statement {
    }

    /** {@code INSERT INTO table [(cols)] VALUES (values)}; {@code columns} is null when not listed. */
    record Insert(String table, List<String> columns, List<Value> values) implements Statement {
    }

    /** {@code DELETE FROM table [WHERE …]}. */
    record Delete(String table, Where where, boolean orderBy, Limit limit) implements Statement {
    }

    /** {@code SELECT expr [AS alias], …} without FROM: variables, functions, literals. */
    record SelectExpressions(List<SelectItem> items, Limit limit) implements Statement {
    }

    /** {@code SHOW …}, {@code DESCRIBE t}. */
    record Show(ShowKind kind, String flag, String table, String like) implements Statement {
    }

    /** Any {@code SET …}: accepted with no effect. */
    record Set() implements Statement {
    }

    /** {@code USE db}. */
    record Use(String database) implements Statement {
    }

    /** {@code COMMIT}, {@code ROLLBACK}, {@code BEGIN}, {@code START TRANSACTION}: accepted, no effect. */
    record Transaction(String word) implements Statement {
    }

    /** Nothing but comments and whitespace. */
    record Empty() implements Statement {
    }

    /** What a SHOW asks for. */
    enum ShowKind { DATABASES, TABLES, STATUS, VARIABLES, COLUMNS, TABLE_STATUS, PROCESSLIST, COLLATION, CHARSET, WARNINGS }

    /** One expression of a FROM-less SELECT. */
    record SelectItem(Kind kind, String name, String label) {
        /** Kind of expression. */
        public enum Kind { SYSVAR, USERVAR, FUNCTION, LITERAL }
    }

    /** {@code LIMIT count} or {@code LIMIT offset, count} (MySQL semantics). */
    record Limit(long offset, long count) {
    }

    /**
     * WHERE conditions in order; {@code hasOr} is true if any {@code OR} joined them.
     */
    record Where(List<Condition> conditions, boolean hasOr) {
    }

    /** {@code column op value} or {@code column IN (values)}; op is {@code = > < LIKE IN}. */
    record Condition(String column, String op, List<Value> values) {
    }
}
