package io.comet.transport;

import io.comet.core.engine.CometEngine;
import io.comet.core.Message;
import io.comet.core.json.Json;

/**
 * The connect parameters carried in the path (client-protocol.md §1.3):
 * {@code sesion={key}&myid={id}&devid={dev}&v={ver}&uuid={uuid}&api=js}, parsed positionally in
 * exactly that order, with no URL-decoding, and the connection errors of §1.4.
 *
 * @param credential raw {@code sesion} value ({@code null} when empty)
 * @param userId     0 when not a plain decimal number
 * @param devId      0 when not a plain decimal number
 * @param apiMajor   major client version (below 4 selects the legacy format)
 * @param uuid       browser id, at most 32 chars, stops at {@code &}
 * @param extra      the segments after {@code uuid} (e.g. {@code api=js&lp=...})
 */
record ClientUrl(String credential, long userId, int devId, int apiMajor, String uuid, String extra) {

    static final String INFO = "Closed due to error. See last message.";
    static final String E401_SESSION = "Error code 401(Invalid request, session ID not found)";
    static final String E401_USER = "Error code 401(Invalid request, the user ID can not be found)";
    static final String E406 = "Error code 406(Invalid request, no public key found [1])";
    static final String E418 = "Error code 418(Invalid request Not assigned client api version)\n";
    static final String E423 = "Error code 423(Access denied, Request from unauthorized domain.)";

    /** A connection error: the code, its text, and whether the client version parsed as ≥ 4. */
    record Error(int code, String text, boolean v4) {
        /** The §1.4 error message on pipe {@code sys} (legacy form unless the version parsed as ≥ 4). */
        Message message(long now) {
            return Message.of(CometEngine.SYS_PIPE, "error",
                    Json.object("error", text, "error_code", code, "info", INFO), null, null, now, false, null);
        }

        boolean legacy() {
            return !v4;
        }
    }

    /** Either a parsed URL or an error. */
    record Result(ClientUrl url, Error error) {
    }

    boolean legacy() {
        return apiMajor < 4;
    }

    /** Parses {@code rest}, the raw text after {@code /lp/} (no {@code =} → the session-ID 401). */
    static Result parse(String rest) {
        return parse(rest, false);
    }

    /**
     * Parses {@code rest}, the raw text after {@code /ws/}. The original searched the whole
     * request, so for a WebSocket request the {@code =} padding of {@code Sec-WebSocket-Key}
     * stands in for a missing {@code =} and the error becomes the user-ID 401 ({@code /ws/abc},
     * observed); pass {@code headerHasEquals} to reproduce that.
     */
    static Result parse(String rest, boolean headerHasEquals) {
        int eq = rest.indexOf('=');
        if (eq < 0) {
            return err(401, headerHasEquals ? E401_USER : E401_SESSION, -1);
        }
        int a1 = rest.indexOf('&', eq + 1);
        if (a1 < 0) {
            return err(401, E401_USER, -1);
        }
        String credential = rest.substring(eq + 1, a1);
        int a2 = rest.indexOf('&', a1 + 1);
        if (a2 < 0) {
            return err(406, E406, -1);
        }
        long userId = digits(value(rest, a1 + 1, a2), 18);
        int a3 = rest.indexOf('&', a2 + 1);
        long dev = digits(value(rest, a2 + 1, a3 < 0 ? rest.length() : a3), 9);
        if (a3 < 0) {
            return err(418, E418, -1);
        }
        int a4 = rest.indexOf('&', a3 + 1);
        String v = value(rest, a3 + 1, a4 < 0 ? rest.length() : a4);
        int major = leadingNumber(v);
        if (a4 < 0 || !isVersion(v)) {
            return err(418, E418, major);
        }
        int a5 = rest.indexOf('&', a4 + 1);
        String seg = rest.substring(a4 + 1, a5 < 0 ? rest.length() : a5);
        String uuid = seg.startsWith("uuid=") ? seg.substring(5) : "";
        if (uuid.length() > 32) {
            uuid = uuid.substring(0, 32);
        }
        String extra = a5 < 0 ? "" : rest.substring(a5 + 1);
        return new Result(new ClientUrl(credential.isEmpty() ? null : credential, Math.max(0, userId),
                (int) Math.max(0, dev), major, uuid, extra), null);
    }

    /** The value of the {@code name=} segment among {@link #extra()}, or {@code null}. */
    String param(String name) {
        for (String seg : extra.split("&", -1)) {
            if (seg.startsWith(name + "=")) {
                return seg.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static Result err(int code, String text, int major) {
        return new Result(null, new Error(code, text, major >= 4));
    }

    private static String value(String s, int from, int to) {
        String seg = s.substring(from, to);
        int eq = seg.indexOf('=');
        return eq < 0 ? seg : seg.substring(eq + 1);
    }

    /** Decimal digits (leading zeros allowed) → value; anything else → 0. */
    private static long digits(String s, int maxDigits) {
        String t = s;
        int i = 0;
        while (i < t.length() - 1 && t.charAt(i) == '0') {
            i++;
        }
        t = t.substring(i);
        if (t.isEmpty() || t.length() > maxDigits) {
            return 0;
        }
        for (int k = 0; k < t.length(); k++) {
            char c = t.charAt(k);
            if (c < '0' || c > '9') {
                return 0;
            }
        }
        return Long.parseLong(t);
    }

    private static int leadingNumber(String v) {
        int i = 0;
        while (i < v.length() && i < 9 && Character.isDigit(v.charAt(i))) {
            i++;
        }
        return i == 0 ? -1 : Integer.parseInt(v.substring(0, i));
    }

    private static boolean isVersion(String v) {
        int dot = v.indexOf('.');
        if (dot <= 0 || dot == v.length() - 1) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (i != dot && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
