package io.comet.core;

/** The durable store failed or timed out; reported as CometQL error 500. */
public final class StoreException extends CometException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a client-visible message and the underlying cause. */
    public StoreException(String message, Throwable cause) {
        super(ErrorCode.INTERNAL_SERVER, message, cause);
    }
}
