package io.comet.core;

/** A pipe or event name broke the rules of client-protocol.md §4.2 / cometql.md §5. */
public final class InvalidNameException extends CometException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code code} is 11 (too long), 12 (bad characters) or 17 (too short). */
    public InvalidNameException(ErrorCode code, String message) {
        super(code, message);
    }
}
