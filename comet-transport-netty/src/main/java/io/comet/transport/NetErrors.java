package io.comet.transport;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;

/**
 * Expected network errors (the peer reset the connection, a broken pipe, a write to a channel
 * that was already closed) are part of serving browsers: they are logged as one line without a
 * stack trace, at DEBUG; anything else is logged by the caller.
 */
final class NetErrors {

    private NetErrors() {
    }

    /** True for errors a network peer causes by going away (reset, broken pipe, closed channel, other socket I/O errors). */
    static boolean expected(Throwable t) {
        return t instanceof IOException;
    }

    /**
     * Logs {@code cause} of the connection {@code who} in one line, without a stack trace, if it is
     * {@linkplain #expected expected}; returns false (nothing logged) otherwise.
     */
    static boolean logExpected(Logger log, Object who, Throwable cause) {
        if (!expected(cause)) {
            return false;
        }
        if (log.isDebugEnabled() && !(cause instanceof ClosedChannelException)) {
            log.debug("{}: {}", who, LogText.escape(String.valueOf(cause)));
        }
        return true;
    }
}
