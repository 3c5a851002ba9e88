package io.comet.cometql.sql;

import io.comet.cometql.sql.Statement.Limit;
import io.comet.cometql.sql.Statement.SelectItem;
import io.comet.cometql.sql.Statement.ShowKind;
import io.comet.cometql.sql.Statement.Where;
import io.comet.cometql.sql.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hand-written recursive-descent parser of the CometQL SQL subset (cometql.md §2.2) plus the
 * statements MySQL drivers send at connect (§1.11). A query is split into statements on
 * {@code ;} outside quotes and comments; every grammar failure is ERR 3 "Syntax error in query".
 *
 * <p>Decisions (pinned by {@code CometQlParserTest}): string literals are unescaped by MySQL's
 * rules (quirk 4 fixed); an unquoted minus is a sign ({@code -5} is -5, quirk 5 fixed);
 * {@code NULL} is SQL NULL; {@code "…"} and {@code `…`} may name columns.
 */
public final class CometQlParser extends TokenCursor {

    private final String query;

    private CometQlParser(String query, List<Token> tokens) {
        super(tokens);
        this.query = query;
    }

    /**
     * Parses {@code query} into its statements (at least one; a query of comments only gives
     * one {@link Statement.Empty}).
     *
     * @throws io.comet.core.CometException code 3 on a syntax error
     */
    public static List<Statement> parse(String query) {
        List<Token> all = Lexer.tokenize(query);
        List<Statement> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : all) {
            if (t.isSymbol(";") || t.is(Type.EOF)) {
                if (!current.isEmpty()) {
                    current.add(new Token(Type.EOF, "", t.start(), t.start()));
                    out.add(new CometQlParser(query, current).statement());
                    current = new ArrayList<>();
                }
            } else {
                current.add(t);
            }
        }
        if (out.isEmpty()) {
            out.add(new Statement.Empty());
        }
        return out;
    }

    // ---- statements

    private Statement statement() {
        Token t = next();
        if (t.type() != Type.IDENT) {
            throw Lexer.syntaxError();
        }
        switch (t.text().toUpperCase(Locale.ROOT)) {
            case "SELECT":
                return select();
            case "INSERT":
                return insert();
            case "DELETE":
                return delete();
            case "SHOW":
                return show();
            case "DESCRIBE":
            case "DESC":
            case "EXPLAIN": {
                String table = tableName();
                expectEnd();
                return new Statement.Show(ShowKind.COLUMNS, null, table, null);
            }
            case "SET":
                pos = tokens.size() - 1;
                return new Statement.Set();
            case "USE": {
                Token db = next();
                if (!db.isName() && !db.is(Type.STRING)) {
                    throw Lexer.syntaxError();
                }
                expectEnd();
                return new Statement.Use(db.text());
            }
            case "COMMIT":
            case "ROLLBACK":
            case "BEGIN":
                acceptKeyword("WORK");
                expectEnd();
                return new Statement.Transaction(t.text().toUpperCase(Locale.ROOT));
            case "START":
                expectKeyword("TRANSACTION");
                while (!peek().is(Type.EOF)) {
                    next();
                }
                return new Statement.Transaction("START TRANSACTION");
            default:
                throw Lexer.syntaxError();
        }
    }

    private String tableName() {
        Token t = next();
        if (!t.isName()) {
            throw Lexer.syntaxError();
        }
        if (peek().isSymbol(".") && peek(1).isName()) {
            pos++;
            return next().text();
        }
        return t.text();
    }

    private Statement select() {
        if (peek().isSymbol("*")) {
            pos++;
            expectKeyword("FROM");
            return selectFrom(null);
        }
        List<SelectItem> items = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean plainNames = true;
        boolean anyBare = false;
        do {
            Token t = next();
            int start = t.start();
            SelectItem item;
            switch (t.type()) {
                case SYSVAR:
                    item = new SelectItem(SelectItem.Kind.SYSVAR, t.text(), null);
                    plainNames = false;
                    break;
                case USERVAR:
                    item = new SelectItem(SelectItem.Kind.USERVAR, t.text(), null);
                    plainNames = false;
                    break;
                case NUMBER:
                    item = new SelectItem(SelectItem.Kind.LITERAL, t.text(), null);
                    plainNames = false;
                    break;
                case SYMBOL:
                    if ((t.text().equals("-") || t.text().equals("+")) && peek().is(Type.NUMBER)) {
                        Token num = next();
                        item = new SelectItem(SelectItem.Kind.LITERAL, (t.text().equals("-") ? "-" : "") + num.text(), null);
                        plainNames = false;
                        break;
                    }
                    throw Lexer.syntaxError();
                case STRING:
                    item = new SelectItem(SelectItem.Kind.LITERAL, t.text(), null);
                    names.add(t.text());
                    break;
                case IDENT:
                case QUOTED_IDENT:
                    if (t.is(Type.IDENT) && peek().isSymbol("(")) {
                        pos++;
                        expectSymbol(")");
                        item = new SelectItem(SelectItem.Kind.FUNCTION, t.text().toUpperCase(Locale.ROOT), null);
                        plainNames = false;
                    } else {
                        item = new SelectItem(SelectItem.Kind.LITERAL, t.text(), null);
                        names.add(t.text());
                        anyBare = true;
                    }
                    break;
                default:
                    throw Lexer.syntaxError();
            }
            String typed = query.substring(start, tokens.get(pos - 1).end());
            String label = typed;
            if (acceptKeyword("AS")) {
                Token alias = next();
                if (!alias.isName() && !alias.is(Type.STRING)) {
                    throw Lexer.syntaxError();
                }
                label = alias.text();
                plainNames = false;
            } else if (peek().isName() && !isClauseKeyword(peek())) {
                label = next().text();
                plainNames = false;
            }
            items.add(new SelectItem(item.kind(), item.name(), label));
        } while (acceptSymbol(","));
        if (acceptKeyword("FROM")) {
            if (!plainNames || names.size() != items.size()) {
                throw Lexer.syntaxError();
            }
            return selectFrom(names);
        }
        if (anyBare) {
            // a bare column name needs FROM
            throw Lexer.syntaxError();
        }
        Limit limit = limit();
        expectEnd();
        return new Statement.SelectExpressions(List.copyOf(items), limit);
    }

    private static boolean isClauseKeyword(Token t) {
        return t.isKeyword("FROM") || t.isKeyword("LIMIT") || t.isKeyword("WHERE") || t.isKeyword("ORDER");
    }

    private Statement selectFrom(List<String> columns) {
        String table = tableName();
        Where where = null;
        if (acceptKeyword("WHERE")) {
            where = where();
        }
        boolean orderBy = orderBy();
        Limit limit = limit();
        expectEnd();
        return new Statement.Select(columns == null ? null : List.copyOf(columns), table, where, orderBy, limit);
    }

    private boolean orderBy() {
        if (!acceptKeyword("ORDER")) {
            return false;
        }
        expectKeyword("BY");
        do {
            if (!next().isName()) {
                throw Lexer.syntaxError();
            }
            if (!acceptKeyword("ASC")) {
                acceptKeyword("DESC");
            }
        } while (acceptSymbol(","));
        return true;
    }

    private Limit limit() {
        if (!acceptKeyword("LIMIT")) {
            return null;
        }
        long a = number();
        if (acceptSymbol(",")) {
            long b = number();
            return new Limit(a, b);
        }
        if (acceptKeyword("OFFSET")) {
            long off = number();
            return new Limit(off, a);
        }
        return new Limit(0, a);
    }

    private Statement insert() {
        acceptKeyword("IGNORE");
        expectKeyword("INTO");
        String table = tableName();
        List<String> columns = null;
        if (acceptSymbol("(")) {
            columns = new ArrayList<>();
            do {
                Token c = next();
                if (!c.isName() && !c.is(Type.STRING)) {
                    throw Lexer.syntaxError();
                }
                columns.add(c.text());
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        if (!acceptKeyword("VALUES")) {
            expectKeyword("VALUE");
        }
        expectSymbol("(");
        List<Value> values = new ArrayList<>();
        do {
            values.add(value());
        } while (acceptSymbol(","));
        expectSymbol(")");
        expectEnd();
        return new Statement.Insert(table, columns == null ? null : List.copyOf(columns), List.copyOf(values));
    }

    private Statement delete() {
        expectKeyword("FROM");
        String table = tableName();
        Where where = null;
        if (acceptKeyword("WHERE")) {
            where = where();
        }
        boolean orderBy = orderBy();
        Limit limit = limit();
        expectEnd();
        return new Statement.Delete(table, where, orderBy, limit);
    }

    private Statement show() {
        boolean full = acceptKeyword("FULL");
        String flag = null;
        for (String f : new String[] {"GLOBAL", "SESSION", "FILESYSTEM", "RAM", "AVG", "UPTIME", "LOCAL"}) {
            if (acceptKeyword(f)) {
                flag = f.equals("LOCAL") ? "SESSION" : f;
                break;
            }
        }
        Token t = next();
        ShowKind kind;
        String table = null;
        if (t.isKeyword("DATABASES") || t.isKeyword("SCHEMAS")) {
            kind = ShowKind.DATABASES;
        } else if (t.isKeyword("TABLES")) {
            kind = ShowKind.TABLES;
            if (acceptKeyword("FROM") || acceptKeyword("IN")) {
                tableName();
            }
        } else if (t.isKeyword("STATUS")) {
            kind = ShowKind.STATUS;
        } else if (t.isKeyword("VARIABLES")) {
            kind = ShowKind.VARIABLES;
        } else if (t.isKeyword("COLUMNS") || t.isKeyword("FIELDS")) {
            kind = ShowKind.COLUMNS;
            if (!acceptKeyword("FROM")) {
                expectKeyword("IN");
            }
            table = tableName();
            if (acceptKeyword("FROM") || acceptKeyword("IN")) {
                tableName();
            }
        } else if (t.isKeyword("TABLE") && acceptKeyword("STATUS")) {
            kind = ShowKind.TABLE_STATUS;
        } else if (t.isKeyword("PROCESSLIST")) {
            kind = ShowKind.PROCESSLIST;
        } else if (t.isKeyword("COLLATION")) {
            kind = ShowKind.COLLATION;
        } else if (t.isKeyword("CHARSET") || (t.isKeyword("CHARACTER") && acceptKeyword("SET"))) {
            kind = ShowKind.CHARSET;
        } else if (t.isKeyword("WARNINGS") || t.isKeyword("ERRORS")) {
            kind = ShowKind.WARNINGS;
        } else {
            throw Lexer.syntaxError();
        }
        if (full && kind != ShowKind.COLUMNS && kind != ShowKind.TABLES && kind != ShowKind.PROCESSLIST) {
            throw Lexer.syntaxError();
        }
        if (flag != null && kind != ShowKind.STATUS && kind != ShowKind.VARIABLES) {
            throw Lexer.syntaxError();
        }
        if (flag != null && kind == ShowKind.VARIABLES && !flag.equals("GLOBAL") && !flag.equals("SESSION")) {
            throw Lexer.syntaxError();
        }
        String like = null;
        if (acceptKeyword("LIKE")) {
            Token p = next();
            if (!p.is(Type.STRING)) {
                throw Lexer.syntaxError();
            }
            like = p.text();
        } else if (acceptKeyword("WHERE")) {
            // e.g. SHOW VARIABLES WHERE Variable_name = 'x' OR …: filters are not applied
            while (!peek().is(Type.EOF)) {
                next();
            }
        } else if (kind == ShowKind.WARNINGS && acceptKeyword("LIMIT")) {
            while (!peek().is(Type.EOF)) {
                next();
            }
        }
        expectEnd();
        return new Statement.Show(kind, flag, table, like);
    }
}
