package io.comet.core;

/**
 * The CometQL error codes of cometql.md §4. Every {@link CometException} carries one, so each
 * adapter (MySQL ERR packet, WebSocket error frame, HTTP JSON) maps errors in one place.
 */
public enum ErrorCode {
    UNDEFINED(1),
    NOT_IMPLEMENTED(2),
    SYNTAX_ERROR(3),
    READ_ONLY(10),
    OVERFLOW(11),
    INVALID_DATA(12),
    WHERE_EXPRESSIONS(13),
    COLUMNS_LIST(14),
    NOT_EXIST(15),
    AUTHENTICATION(16),
    EMPTY(17),
    TOO_MANY_CONDITIONS(18),
    TOO_MANY_VALUES(19),
    TOO_MANY_COLUMNS(20),
    TOO_MANY_NAMES(21),
    ACCESS_DENIED(403),
    INTERNAL_SERVER(500);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The numeric code sent to clients (MySQL ERR error code, JSON {@code code}). */
    public int code() {
        return code;
    }
}
