package io.comet.cometql.protocol;

/**
 * A malformed packet from a client (truncated field, bad length prefix). The connection answers
 * it with an ERR packet; it never escapes the pipeline.
 */
public final class MySqlProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the offending detail. */
    public MySqlProtocolException(String message) {
        super(message);
    }
}
