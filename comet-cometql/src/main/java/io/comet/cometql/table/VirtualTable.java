package io.comet.cometql.table;

import io.comet.cometql.sql.Statement;
import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import io.comet.core.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One CometQL table (cometql.md §3): its columns in order, its key column, and the engine
 * calls behind SELECT / INSERT / DELETE. Column and WHERE validation happen once, in
 * {@link CometQlExecutor}; a table only sees checked input.
 */
abstract class VirtualTable {

    static final String SELECT_WITHOUT_KEY =
            "Selection without transferring the requested values of the primary key is not supported";
    static final String DELETE_WITHOUT_KEY =
            "Deleting without transferring the requested values of the primary key is not supported";

    final CometEngine engine;
    private final String name;
    private final List<String> columns;
    private final String key;

    VirtualTable(CometEngine engine, String name, String key, String... columns) {
        this.engine = engine;
        this.name = name;
        this.key = key;
        this.columns = List.of(columns);
    }

    final String name() {
        return name;
    }

    final List<String> columns() {
        return columns;
    }

    /** The columns an INSERT may set, in the order of a positional {@code VALUES} list (default: all). */
    List<String> insertColumns() {
        return columns;
    }

    /** The column SELECT requires a condition on. */
    final String key() {
        return key;
    }

    /** SQL type shown by DESCRIBE. */
    String typeOf(String column) {
        return "varchar(255)";
    }

    /** True if SELECT without a key condition is allowed (revoked_tokens). */
    boolean selectAllowedWithoutKey() {
        return false;
    }

    boolean readOnly() {
        return false;
    }

    /**
     * Full rows (all columns, table order) for the key values; {@code keys} is {@code null} only
     * when {@link #selectAllowedWithoutKey()}.
     */
    abstract CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys);

    /**
     * Full rows for the key values under every condition of the WHERE clause; by default the
     * non-key conditions are ignored, as the original does (cometql.md §2.3).
     */
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys, List<Statement.Condition> conditions) {
        return select(s, keys);
    }

    /** Inserts one row (checked column names → values). */
    CompletableFuture<QueryResult> insert(QlSession s, Map<String, Value> row) {
        throw readOnlyError();
    }

    /** Deletes by the conditions (column → values). */
    CompletableFuture<QueryResult> delete(QlSession s, Map<String, List<Value>> where) {
        throw readOnlyError();
    }

    final CometException readOnlyError() {
        return new CometException(ErrorCode.READ_ONLY, "Table `" + name + "` is read only");
    }

    // ---- helpers

    static String required(Map<String, Value> row, String column) {
        Value v = row.get(column);
        if (v == null || v.isNull()) {
            throw new CometException(ErrorCode.INVALID_DATA, "field `" + column + "` is required");
        }
        return v.text();
    }

    static List<String> pipeNames(List<Value> values, int maxLength) {
        List<String> out = new ArrayList<>();
        for (Value v : values) {
            if (!v.isNull() && Names.isValid(v.text(), 3, maxLength)) {
                out.add(v.text());
            }
        }
        return out;
    }

    static List<Long> ids(List<Value> values, long min) {
        List<Long> out = new ArrayList<>();
        for (Value v : values) {
            if (v.isNull()) {
                continue;
            }
            long id = v.asLong();
            if (id >= min && id <= 999_999_999L) {
                out.add(id);
            }
        }
        return out;
    }

    static List<Value> keyValues(Map<String, List<Value>> where, String column, String missingText) {
        List<Value> v = where.get(column);
        if (v == null) {
            throw new CometException(ErrorCode.WHERE_EXPRESSIONS, missingText);
        }
        return v;
    }

    /** Runs one future per item in order and concatenates their rows. */
    static <T> CompletableFuture<List<List<String>>> inOrder(List<T> items,
            java.util.function.Function<T, CompletableFuture<List<List<String>>>> fn) {
        List<CompletableFuture<List<List<String>>>> fs = new ArrayList<>(items.size());
        for (T item : items) {
            fs.add(fn.apply(item));
        }
        return CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<List<String>> rows = new ArrayList<>();
            for (CompletableFuture<List<List<String>>> f : fs) {
                rows.addAll(f.join());
            }
            return rows;
        });
    }

    /**
     * Writes each row's 0-based position across the whole result into {@code column} (the
     * {@code index} column of pipes_messages and users_messages, which runs across keys).
     */
    static List<List<String>> numbered(List<List<String>> rows, int column) {
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).set(column, Integer.toString(i));
        }
        return rows;
    }

    static CompletableFuture<Void> allInOrder(List<CompletableFuture<?>> fs) {
        return CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]));
    }
}
