package io.comet.cometql.sql;

import io.comet.cometql.sql.Statement.Condition;
import io.comet.cometql.sql.Statement.Where;
import io.comet.cometql.sql.Token.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The token-level half of {@link CometQlParser}: a cursor over one statement's tokens, the
 * accept/expect helpers, and the expressions every statement shares (numbers, values,
 * {@code WHERE} conditions). Every failure is ERR 3 "Syntax error in query".
 */
abstract class TokenCursor {

    final List<Token> tokens;
    int pos;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    final Token peek() {
        return tokens.get(pos);
    }

    final Token peek(int ahead) {
        int i = Math.min(pos + ahead, tokens.size() - 1);
        return tokens.get(i);
    }

    final Token next() {
        Token t = tokens.get(pos);
        if (!t.is(Type.EOF)) {
            pos++;
        }
        return t;
    }

    final boolean acceptKeyword(String kw) {
        if (peek().isKeyword(kw)) {
            pos++;
            return true;
        }
        return false;
    }

    final void expectKeyword(String kw) {
        if (!acceptKeyword(kw)) {
            throw Lexer.syntaxError();
        }
    }

    final boolean acceptSymbol(String s) {
        if (peek().isSymbol(s)) {
            pos++;
            return true;
        }
        return false;
    }

    final void expectSymbol(String s) {
        if (!acceptSymbol(s)) {
            throw Lexer.syntaxError();
        }
    }

    final void expectEnd() {
        if (!peek().is(Type.EOF)) {
            throw Lexer.syntaxError();
        }
    }

    final long number() {
        Token t = next();
        if (!t.is(Type.NUMBER) || t.text().contains(".")) {
            throw Lexer.syntaxError();
        }
        return new Value(t.text(), false).asLong();
    }

    final Where where() {
        List<Condition> conds = new ArrayList<>();
        boolean hasOr = false;
        do {
            conds.add(condition());
            if (acceptKeyword("OR")) {
                hasOr = true;
                continue;
            }
            if (!acceptKeyword("AND")) {
                break;
            }
        } while (true);
        return new Where(List.copyOf(conds), hasOr);
    }

    final Condition condition() {
        Token col = next();
        if (!col.isName() && !col.is(Type.STRING)) {
            throw Lexer.syntaxError();
        }
        Token op = next();
        if (op.isKeyword("IN")) {
            expectSymbol("(");
            List<Value> values = new ArrayList<>();
            do {
                values.add(value());
            } while (acceptSymbol(","));
            expectSymbol(")");
            return new Condition(col.text(), "IN", values);
        }
        String o;
        if (op.isSymbol("=") || op.isSymbol(">") || op.isSymbol("<")) {
            o = op.text();
        } else if (op.isKeyword("LIKE")) {
            o = "LIKE";
        } else {
            throw Lexer.syntaxError();
        }
        return new Condition(col.text(), o, List.of(value()));
    }

    final Value value() {
        Token t = next();
        switch (t.type()) {
            case STRING:
                return new Value(t.text(), true);
            case NUMBER:
                return new Value(t.text(), false);
            case IDENT:
                return t.text().equalsIgnoreCase("NULL") ? Value.NULL : new Value(t.text(), false);
            case QUOTED_IDENT:
                return new Value(t.text(), true);
            case SYMBOL:
                if ((t.text().equals("-") || t.text().equals("+")) && peek().is(Type.NUMBER)) {
                    String digits = next().text();
                    return new Value(t.text().equals("-") ? "-" + digits : digits, false);
                }
                throw Lexer.syntaxError();
            default:
                throw Lexer.syntaxError();
        }
    }
}
