package io.comet.cometql.sql;

import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a CometQL query into tokens (cometql.md §2.1 with the [proj] decisions): keywords are
 * case-insensitive, {@code /* *}{@code /}, {@code -- } and {@code #} comments are skipped,
 * {@code '…'}/{@code "…"} strings are unescaped by MySQL's rules (backslash escapes
 * {@code \0 \' \" \b \n \r \t \Z \\}, {@code \%} and {@code \_} keep their backslash, any other
 * {@code \x} becomes {@code x}, a doubled quote becomes one quote), back-quoted names, numbers,
 * {@code @@[session.|global.]var} and {@code @var}.
 */
final class Lexer {

    static final String SYNTAX_ERROR = "Syntax error in query";

    private final String q;
    private int pos;

    private Lexer(String query) {
        this.q = query;
    }

    /** Tokens of {@code query}, ending with an EOF token. */
    static List<Token> tokenize(String query) {
        return new Lexer(query).run();
    }

    static CometException syntaxError() {
        return new CometException(ErrorCode.SYNTAX_ERROR, SYNTAX_ERROR);
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        int n = q.length();
        while (true) {
            skipSpaceAndComments();
            if (pos >= n) {
                out.add(new Token(Token.Type.EOF, "", n, n));
                return out;
            }
            int start = pos;
            char c = q.charAt(pos);
            if (c == '\'' || c == '"') {
                out.add(new Token(Token.Type.STRING, readString(c), start, pos));
            } else if (c == '`') {
                out.add(new Token(Token.Type.QUOTED_IDENT, readBackquoted(), start, pos));
            } else if (c == '@') {
                out.add(readVariable(start));
            } else if (isDigit(c) || (c == '.' && pos + 1 < n && isDigit(q.charAt(pos + 1)))) {
                while (pos < n && (isDigit(q.charAt(pos)) || q.charAt(pos) == '.')) {
                    pos++;
                }
                if (pos < n && isIdentPart(q.charAt(pos))) {
                    // MySQL allows identifiers starting with digits (e.g. 1abc)
                    while (pos < n && isIdentPart(q.charAt(pos))) {
                        pos++;
                    }
                    out.add(new Token(Token.Type.IDENT, q.substring(start, pos), start, pos));
                } else {
                    out.add(new Token(Token.Type.NUMBER, q.substring(start, pos), start, pos));
                }
            } else if (isIdentStart(c)) {
                while (pos < n && isIdentPart(q.charAt(pos))) {
                    pos++;
                }
                out.add(new Token(Token.Type.IDENT, q.substring(start, pos), start, pos));
            } else {
                String two = pos + 1 < n ? q.substring(pos, pos + 2) : "";
                if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=")) {
                    pos += 2;
                    out.add(new Token(Token.Type.SYMBOL, two, start, pos));
                } else if ("(),=<>*;.-+".indexOf(c) >= 0) {
                    pos++;
                    out.add(new Token(Token.Type.SYMBOL, String.valueOf(c), start, pos));
                } else {
                    throw syntaxError();
                }
            }
        }
    }

    private void skipSpaceAndComments() {
        int n = q.length();
        while (pos < n) {
            char c = q.charAt(pos);
            if (Character.isWhitespace(c) || c == '\0') {
                pos++;
            } else if (c == '#') {
                skipLine();
            } else if (c == '-' && pos + 1 < n && q.charAt(pos + 1) == '-'
                    && (pos + 2 >= n || Character.isWhitespace(q.charAt(pos + 2)))) {
                skipLine();
            } else if (c == '/' && pos + 1 < n && q.charAt(pos + 1) == '*') {
                int close = q.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw syntaxError();
                }
                pos = close + 2;
            } else {
                return;
            }
        }
    }

    private void skipLine() {
        while (pos < q.length() && q.charAt(pos) != '\n') {
            pos++;
        }
    }

    private String readString(char quote) {
        StringBuilder sb = new StringBuilder();
        pos++;
        int n = q.length();
        while (true) {
            if (pos >= n) {
                throw syntaxError();
            }
            char c = q.charAt(pos++);
            if (c == quote) {
                if (pos < n && q.charAt(pos) == quote) {
                    sb.append(quote);
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= n) {
                    throw syntaxError();
                }
                char e = q.charAt(pos++);
                switch (e) {
                    case '0': sb.append('\0'); break;
                    case 'b': sb.append('\b'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'Z': sb.append('\u001A'); break;
                    case '%': sb.append("\\%"); break;
                    case '_': sb.append("\\_"); break;
                    default: sb.append(e); break;
                }
                continue;
            }
            sb.append(c);
        }
    }

    private String readBackquoted() {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= q.length()) {
                throw syntaxError();
            }
            char c = q.charAt(pos++);
            if (c == '`') {
                if (pos < q.length() && q.charAt(pos) == '`') {
                    sb.append('`');
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            sb.append(c);
        }
    }

    private Token readVariable(int start) {
        boolean sys = pos + 1 < q.length() && q.charAt(pos + 1) == '@';
        pos += sys ? 2 : 1;
        int nameStart = pos;
        while (pos < q.length() && (isIdentPart(q.charAt(pos)) || q.charAt(pos) == '.')) {
            pos++;
        }
        String name = q.substring(nameStart, pos).toLowerCase(java.util.Locale.ROOT);
        if (name.isEmpty()) {
            throw syntaxError();
        }
        if (sys) {
            for (String scope : new String[] {"session.", "global.", "local."}) {
                if (name.startsWith(scope)) {
                    name = name.substring(scope.length());
                    break;
                }
            }
        }
        return new Token(sys ? Token.Type.SYSVAR : Token.Type.USERVAR, name, start, pos);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c > 0x7F;
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
