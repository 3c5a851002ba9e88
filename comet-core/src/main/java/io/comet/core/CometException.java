package io.comet.core;

import java.util.Objects;

/**
 * Base of every error the engine reports to a client. The message is the short English text
 * that clients display (cometql.md §4, client-protocol.md §3.6); the code is the CometQL number.
 */
public class CometException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    /** Creates an exception with the given code and client-visible message. */
    public CometException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    /** Creates an exception with the given code, message and cause. */
    public CometException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    /** The CometQL error code. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** Shortcut for {@code errorCode().code()}. */
    public int code() {
        return errorCode.code();
    }
}
