package io.comet.core;

/**
 * A configured limit (message size, subscriptions per session, queued messages per user, …)
 * was exceeded. {@link #limit()} names the {@link CometConfig} setting.
 */
public final class LimitExceededException extends CometException {

    private static final long serialVersionUID = 1L;

    private final String limit;

    /** Creates the exception for the named limit. */
    public LimitExceededException(ErrorCode code, String limit, String message) {
        super(code, message);
        this.limit = limit;
    }

    /** The name of the exceeded {@link CometConfig} setting, e.g. {@code maxMessageBytes}. */
    public String limit() {
        return limit;
    }
}
