package io.comet.bench;

import java.nio.charset.StandardCharsets;

/**
 * A reusable, allocation-free scanner for one server message: a compact JSON object on one line
 * (client-protocol §1.5, §3.1). It records where the raw values of the few top-level keys the
 * bench needs start and end inside the array; nested objects and arrays are skipped. String
 * ranges exclude the quotes and are not unescaped (the bench's own payloads never need it).
 * Works on a plain array (the frame is copied once): per-byte {@code ByteBuf.getByte} with its
 * accessibility checks was the load generator's hottest method under fan-out.
 */
final class JsonLine {
    byte[] buf;
    int start;
    int end;
    /** Raw range of {@code data} when it is a string; {@code dataStart < 0} otherwise. */
    int dataStart;
    int dataEnd;
    boolean hasData;
    int eventStart;
    int eventEnd;
    int pipeStart;
    int pipeEnd;
    /** 1 = true / "true", 0 = false, -1 = absent. */
    int authorized;
    boolean fromQueue;

    /**
     * Scans {@code buf[from, to]}. Returns false when the line is not a JSON object (the
     * browser client skips such lines too).
     */
    boolean scan(byte[] buf, int from, int to) {
        this.buf = buf;
        this.start = from;
        this.end = to;
        dataStart = dataEnd = eventStart = eventEnd = pipeStart = pipeEnd = -1;
        hasData = false;
        authorized = -1;
        fromQueue = false;
        int i = skipWs(buf, from, to);
        if (i >= to || buf[i] != '{') {
            return false;
        }
        i++;
        while (true) {
            i = skipWs(buf, i, to);
            if (i >= to) {
                return false;
            }
            byte c = buf[i];
            if (c == '}') {
                return true;
            }
            if (c == ',') {
                i++;
                continue;
            }
            if (c != '"') {
                return false;
            }
            int ks = i + 1;
            int ke = endOfString(buf, ks, to);
            if (ke < 0) {
                return false;
            }
            i = skipWs(buf, ke + 1, to);
            if (i >= to || buf[i] != ':') {
                return false;
            }
            i = skipWs(buf, i + 1, to);
            if (i >= to) {
                return false;
            }
            int vs = i;
            int ve;
            boolean str = false;
            c = buf[i];
            if (c == '"') {
                ve = endOfString(buf, i + 1, to);
                if (ve < 0) {
                    return false;
                }
                str = true;
                i = ve + 1;
                vs = vs + 1;
            } else if (c == '{' || c == '[') {
                ve = endOfNested(buf, i, to);
                if (ve < 0) {
                    return false;
                }
                i = ve;
            } else {
                ve = i;
                while (ve < to) {
                    byte d = buf[ve];
                    if (d == ',' || d == '}' || d == ' ') {
                        break;
                    }
                    ve++;
                }
                i = ve;
            }
            record(ks, ke, vs, ve, str);
        }
    }

    private void record(int ks, int ke, int vs, int ve, boolean str) {
        int klen = ke - ks;
        if (klen == 4 && is(ks, "data")) {
            hasData = true;
            if (str) {
                dataStart = vs;
                dataEnd = ve;
            }
        } else if (klen == 5 && is(ks, "event")) {
            eventStart = vs;
            eventEnd = ve;
        } else if (klen == 4 && is(ks, "pipe")) {
            pipeStart = vs;
            pipeEnd = ve;
        } else if (klen == 10 && is(ks, "authorized")) {
            authorized = (ve - vs == 4 && is(vs, "true")) ? 1 : 0;
        } else if (klen == 9 && is(ks, "fromQueue")) {
            fromQueue = ve - vs == 4 && is(vs, "true");
        }
    }

    private boolean is(int at, String ascii) {
        for (int j = 0; j < ascii.length(); j++) {
            if (buf[at + j] != ascii.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    boolean eventIs(String ascii) {
        return eventStart >= 0 && eventEnd - eventStart == ascii.length() && is(eventStart, ascii);
    }

    boolean pipeIs(String ascii) {
        return pipeStart >= 0 && pipeEnd - pipeStart == ascii.length() && is(pipeStart, ascii);
    }

    private byte[] scratch = new byte[4096];

    /** A per-thread array of at least {@code n} bytes to copy a frame into. */
    byte[] array(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }

    String text() {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    String data() {
        return dataStart < 0 ? null : new String(buf, dataStart, dataEnd - dataStart, StandardCharsets.UTF_8);
    }

    String event() {
        return eventStart < 0 ? null : new String(buf, eventStart, eventEnd - eventStart, StandardCharsets.UTF_8);
    }

    String pipe() {
        return pipeStart < 0 ? null : new String(buf, pipeStart, pipeEnd - pipeStart, StandardCharsets.UTF_8);
    }

    private static int skipWs(byte[] b, int i, int to) {
        while (i < to) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                break;
            }
            i++;
        }
        return i;
    }

    /** Index of the closing quote of a string whose content starts at {@code i}, or -1. */
    private static int endOfString(byte[] b, int i, int to) {
        while (i < to) {
            byte c = b[i];
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '"') {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Index just after the object/array starting at {@code i}, or -1. */
    private static int endOfNested(byte[] b, int i, int to) {
        int depth = 0;
        while (i < to) {
            byte c = b[i];
            if (c == '"') {
                int e = endOfString(b, i + 1, to);
                if (e < 0) {
                    return -1;
                }
                i = e + 1;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }
}
