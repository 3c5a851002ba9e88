package io.comet.cometql.table;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.sql.CometQlParser;
import io.comet.cometql.sql.Statement;
import io.comet.cometql.sql.Statement.Condition;
import io.comet.cometql.sql.Statement.Limit;
import io.comet.cometql.sql.Statement.Where;
import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs CometQL text against the engine: the COM_QUERY pipeline of cometql.md §1.6 (length
 * limits, parse, multi-statements), the shared semantic rules of §2.3 and the routing of §3.
 * Used by both doors, the MySQL port and {@code POST /cometql}. Never blocks: results come
 * back as futures composed from the engine's.
 */
public final class CometQlExecutor {

    private static final Logger log = LoggerFactory.getLogger(CometQlExecutor.class);

    static final int MAX_CONDITIONS = 10;
    static final int MAX_VALUES = 4000;
    static final int MAX_COLUMNS = 20;
    static final int MAX_NAMES = 20;

    private final CometEngine engine;
    private final CometQlConfig config;
    private final Map<String, VirtualTable> tables = new LinkedHashMap<>();
    private final SystemStatements system;

    /** An executor for {@code engine} with the listener's settings. */
    public CometQlExecutor(CometEngine engine, CometQlConfig config) {
        this.engine = engine;
        this.config = config;
        for (VirtualTable t : List.of(new UsersAuthTable(engine), new UsersTimeTable(engine),
                new UsersMessagesTable(engine), new PipesMessagesTable(engine),
                new UsersInPipesTable(engine, config.usersInPipesAuthorizedOnly()), new PipesTable(engine),
                new PipesSettingsTable(engine), new UsersDataTable(engine), new RevokedTokensTable(engine))) {
            tables.put(t.name(), t);
        }
        this.system = new SystemStatements(engine, config, tables);
    }

    /**
     * Extra {@code SHOW GLOBAL STATUS} rows (name, value) from whoever runs the listeners, e.g.
     * refused connections and logins; read on every such statement.
     */
    public void statusRows(java.util.function.Supplier<List<List<String>>> rows) {
        system.extraStatus = java.util.Objects.requireNonNull(rows, "rows");
    }

    private volatile io.comet.cometql.QueryObserver observer = io.comet.cometql.QueryObserver.NONE;

    /** Told every statement's table, kind and result code (metrics). */
    public void observer(io.comet.cometql.QueryObserver v) {
        observer = java.util.Objects.requireNonNull(v, "observer");
    }

    /** The outcome of one statement: a result or an error. */
    public record Outcome(QueryResult result, QlError error) {
    }

    /**
     * Runs a whole query. With {@code multiStatements} each {@code ;}-separated statement runs in
     * turn until the first error; without, more than one statement is ERR 3 (cometql.md §1.9).
     * The future never fails: errors are {@link Outcome}s.
     */
    public CompletableFuture<List<Outcome>> run(QlSession s, String query, boolean multiStatements) {
        List<Statement> statements;
        try {
            statements = prepare(query);
            if (statements.size() > 1 && !multiStatements) {
                throw new CometException(ErrorCode.SYNTAX_ERROR, "Syntax error in query");
            }
        } catch (RuntimeException e) {
            QlError err = QlError.of(e);
            observer.query("-", "parse", err.code());
            return CompletableFuture.completedFuture(List.of(new Outcome(null, err)));
        }
        List<Outcome> out = new ArrayList<>(statements.size());
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
        for (Statement st : statements) {
            chain = chain.thenCompose(ok -> {
                if (!ok) {
                    return CompletableFuture.completedFuture(false);
                }
                return executeSafely(s, st).thenApply(o -> {
                    out.add(o);
                    return o.error() == null;
                });
            });
        }
        return chain.thenApply(v -> out);
    }

    private CompletableFuture<Outcome> executeSafely(QlSession s, Statement st) {
        CompletableFuture<QueryResult> f;
        try {
            f = execute(s, st);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((r, e) -> {
            Outcome o = e == null ? new Outcome(r, null) : new Outcome(null, QlError.of(e));
            observe(st, o.error() == null ? 0 : o.error().code());
            return o;
        });
    }

    private void observe(Statement st, int code) {
        if (st instanceof Statement.Select x) {
            observer.query(x.table(), "select", code);
        } else if (st instanceof Statement.Insert x) {
            observer.query(x.table(), "insert", code);
        } else if (st instanceof Statement.Delete x) {
            observer.query(x.table(), "delete", code);
        } else {
            observer.query("-", st instanceof Statement.Show ? "show" : st instanceof Statement.Set ? "set" : "other", code);
        }
    }

    /** Length checks (ERR 17 / ERR 11) and parsing (ERR 3). */
    List<Statement> prepare(String query) {
        int nul = query.indexOf('\0');
        String cstr = nul < 0 ? query : query.substring(0, nul);
        if (cstr.getBytes(StandardCharsets.UTF_8).length <= 3) {
            throw new CometException(ErrorCode.EMPTY, "Data is too short");
        }
        if (query.length() >= config.maxQueryBytes()
                || query.getBytes(StandardCharsets.UTF_8).length >= config.maxQueryBytes()) {
            throw new CometException(ErrorCode.OVERFLOW, "Data is too long");
        }
        log.debug("query: {}", query);
        return CometQlParser.parse(query);
    }

    /** Executes one parsed statement in the session's namespace. */
    public CompletableFuture<QueryResult> execute(QlSession s, Statement st) {
        if (st instanceof Statement.Select) {
            return select(s, (Statement.Select) st);
        } else if (st instanceof Statement.Insert) {
            return insert(s, (Statement.Insert) st);
        } else if (st instanceof Statement.Delete) {
            return delete(s, (Statement.Delete) st);
        } else if (st instanceof Statement.SelectExpressions) {
            return CompletableFuture.completedFuture(system.selectExpressions(s, (Statement.SelectExpressions) st));
        } else if (st instanceof Statement.Show) {
            return CompletableFuture.completedFuture(system.show(s, (Statement.Show) st));
        } else if (st instanceof Statement.Use) {
            selectDatabase(s, ((Statement.Use) st).database());
            return CompletableFuture.completedFuture(QueryResult.Update.NONE);
        }
        // SET, COMMIT/ROLLBACK/BEGIN, empty: OK with no effect
        return CompletableFuture.completedFuture(QueryResult.Update.NONE);
    }

    /**
     * Selects a database (login, COM_INIT_DB, {@code USE}): {@code CometQL_v1} keeps the
     * namespace, {@code db_N} switches to namespace N; anything else is ERR 15 (cometql.md §1.5).
     */
    public void selectDatabase(QlSession s, String database) {
        if ("CometQL_v1".equals(database)) {
            s.select(database, s.devId());
            return;
        }
        if (database != null && database.startsWith("db_") && database.length() > 3 && database.length() <= 12) {
            String digits = database.substring(3);
            if (digits.chars().allMatch(Character::isDigit)) {
                long n = Long.parseLong(digits);
                if (n < engine.config().devIndexSize()) {
                    s.select(database, (int) n);
                    return;
                }
            }
        }
        throw new CometException(ErrorCode.NOT_EXIST, "Select database failure");
    }

    private VirtualTable table(String name) {
        VirtualTable t = tables.get(name);
        if (t == null) {
            throw new CometException(ErrorCode.NOT_EXIST, "Table doesn't exist");
        }
        return t;
    }

    private CompletableFuture<QueryResult> select(QlSession s, Statement.Select st) {
        VirtualTable t = table(st.table());
        List<String> cols = st.columns() == null ? t.columns() : st.columns();
        if (cols.size() > MAX_COLUMNS) {
            throw new CometException(ErrorCode.TOO_MANY_COLUMNS, "Too many columns");
        }
        Set<String> seen = new HashSet<>();
        for (String c : cols) {
            if (!t.columns().contains(c)) {
                throw new CometException(ErrorCode.COLUMNS_LIST, "Not a specific column");
            }
            if (!seen.add(c)) {
                throw new CometException(ErrorCode.WHERE_EXPRESSIONS, "Each column in the select used only once");
            }
        }
        Map<String, List<Value>> where = checkWhere(t, st.where(), st.orderBy());
        List<Value> keys = where.get(t.key());
        if (keys == null && !t.selectAllowedWithoutKey()) {
            throw new CometException(ErrorCode.WHERE_EXPRESSIONS, VirtualTable.SELECT_WITHOUT_KEY);
        }
        int[] idx = new int[cols.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = t.columns().indexOf(cols.get(i));
        }
        return t.select(s, keys, st.where() == null ? List.of() : st.where().conditions()).thenApply(rows -> {
            List<List<String>> limited = limit(rows, st.limit());
            List<List<String>> out = new ArrayList<>(limited.size());
            for (List<String> row : limited) {
                List<String> r = new ArrayList<>(idx.length);
                for (int i : idx) {
                    r.add(row.get(i));
                }
                out.add(r);
            }
            return new QueryResult.Rows(t.name(), List.copyOf(cols), out);
        });
    }

    static <T> List<T> limit(List<T> rows, Limit limit) {
        if (limit == null) {
            return rows;
        }
        long from = Math.min(rows.size(), Math.max(0, limit.offset()));
        long to = Math.min(rows.size(), from + Math.max(0, Math.min(limit.count(), Integer.MAX_VALUE)));
        return rows.subList((int) from, (int) to);
    }

    private CompletableFuture<QueryResult> insert(QlSession s, Statement.Insert st) {
        VirtualTable t = table(st.table());
        if (t.readOnly()) {
            throw t.readOnlyError();
        }
        List<String> cols = st.columns() == null ? t.insertColumns() : st.columns();
        if (st.columns() != null) {
            if (cols.size() > MAX_NAMES) {
                throw new CometException(ErrorCode.TOO_MANY_NAMES, "Too many names");
            }
            Set<String> seen = new HashSet<>();
            for (String c : cols) {
                if (!t.insertColumns().contains(c)) {
                    throw new CometException(ErrorCode.COLUMNS_LIST, "Not a specific column");
                }
                if (!seen.add(c)) {
                    throw new CometException(ErrorCode.WHERE_EXPRESSIONS, "Each column in the insert used only once");
                }
            }
        }
        if (cols.size() != st.values().size()) {
            throw new CometException(ErrorCode.COLUMNS_LIST, "Error in columns list");
        }
        Map<String, Value> row = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            row.put(cols.get(i), st.values().get(i));
        }
        return t.insert(s, row);
    }

    private CompletableFuture<QueryResult> delete(QlSession s, Statement.Delete st) {
        VirtualTable t = table(st.table());
        if (t.readOnly()) {
            throw t.readOnlyError();
        }
        Map<String, List<Value>> where = checkWhere(t, st.where(), st.orderBy());
        return t.delete(s, where);
    }

    /**
     * The WHERE rules of cometql.md §2.3, in the original's order: limits (18, 19), repeated
     * column (13), unknown column (14), OR across columns (2), ORDER BY (2); strict mode also
     * rejects {@code > < LIKE} and non-key conditions (2). Returns column → values.
     */
    private Map<String, List<Value>> checkWhere(VirtualTable t, Where where, boolean orderBy) {
        Map<String, List<Value>> out = new LinkedHashMap<>();
        if (where != null) {
            List<Condition> conds = where.conditions();
            if (conds.size() > MAX_CONDITIONS) {
                throw new CometException(ErrorCode.TOO_MANY_CONDITIONS, "Too many conditions");
            }
            int values = 0;
            for (Condition c : conds) {
                values += c.values().size();
            }
            if (values > MAX_VALUES) {
                throw new CometException(ErrorCode.TOO_MANY_VALUES, "Too many values");
            }
            for (Condition c : conds) {
                if (out.containsKey(c.column())) {
                    throw new CometException(ErrorCode.WHERE_EXPRESSIONS, "Each column in the conditions used only once");
                }
                out.put(c.column(), c.values());
            }
            for (Condition c : conds) {
                if (!t.columns().contains(c.column())) {
                    throw new CometException(ErrorCode.COLUMNS_LIST, "Not a specific column");
                }
            }
            if (where.hasOr()) {
                throw new CometException(ErrorCode.NOT_IMPLEMENTED, "Operator OR is not yet implemented");
            }
            if (config.strict()) {
                for (Condition c : conds) {
                    if (!c.op().equals("=") && !c.op().equals("IN")) {
                        throw new CometException(ErrorCode.NOT_IMPLEMENTED,
                                "Operator " + c.op() + " is not yet implemented");
                    }
                    if (!c.column().equals(t.key()) && !(t.name().equals("pipes_messages") && c.column().equals("id"))) {
                        throw new CometException(ErrorCode.NOT_IMPLEMENTED,
                                "Conditions on column `" + c.column() + "` are not yet implemented");
                    }
                }
            }
        }
        if (orderBy) {
            throw new CometException(ErrorCode.NOT_IMPLEMENTED, "Token ORDER BY is not yet implemented");
        }
        return out;
    }
}
