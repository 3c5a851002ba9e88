package io.comet.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs misbehaviour of one connection: each incident is one line (no stack trace); after the
 * first few lines of a connection the rest go to debug, so a flooding client cannot flood the log.
 * A WebSocket connection is its own log ({@link WebSocketHandler} implements this with a counter
 * field, so an idle connection carries no extra object); {@link Named} serves the others.
 */
interface BadInputLog {

    /** Logs one incident ({@code what} is client-influenced text: escaped here). */
    void bad(String what);

    /** Incidents of a connection logged at INFO before the rest go to debug. */
    int LOUD = 3;

    /** Logs incident number {@code n} of the connection {@code who} (its {@code toString()} is only called when logged). */
    static void log(Object who, int n, String what) {
        Logger log = Holder.LOG;
        if (n <= LOUD) {
            log.info("{}: {}{}", who, LogText.escape(what), n == LOUD ? " (further incidents of this connection at debug)" : "");
        } else if (log.isDebugEnabled()) {
            log.debug("{}: {}", who, LogText.escape(what));
        }
    }

    /** A log naming its connection by an object's {@code toString()} (called only when it logs). Thread-safe. */
    final class Named implements BadInputLog {
        private final Object who;
        private int count;

        Named(Object who) {
            this.who = who;
        }

        @Override
        public void bad(String what) {
            int n;
            synchronized (this) {
                n = ++count;
            }
            log(who, n, what);
        }
    }

    /** The logger, out of the interface's constants. */
    final class Holder {
        static final Logger LOG = LoggerFactory.getLogger("io.comet.transport.badinput");

        private Holder() {
        }
    }
}
