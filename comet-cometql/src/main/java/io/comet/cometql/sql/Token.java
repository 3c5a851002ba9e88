package io.comet.cometql.sql;

/**
 * One lexical token with its source span.
 *
 * @param type  kind of token
 * @param text  value: identifier as typed, unescaped string, digits, variable name (lower case,
 *              scope removed), or the symbol
 * @param start offset of the first char in the query
 * @param end   offset after the last char
 */
record Token(Type type, String text, int start, int end) {

    enum Type { IDENT, QUOTED_IDENT, STRING, NUMBER, SYSVAR, USERVAR, SYMBOL, EOF }

    boolean is(Type t) {
        return type == t;
    }

    boolean isSymbol(String s) {
        return type == Type.SYMBOL && text.equals(s);
    }

    boolean isKeyword(String kw) {
        return type == Type.IDENT && text.equalsIgnoreCase(kw);
    }

    /** A bare or back-quoted identifier. */
    boolean isName() {
        return type == Type.IDENT || type == Type.QUOTED_IDENT;
    }
}
