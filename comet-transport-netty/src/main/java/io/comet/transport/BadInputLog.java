package io.comet.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs misbehaviour of one connection: each incident is one line (no stack trace); after the
 * first few lines of a connection the rest go to debug, so a flooding client cannot flood the log.
 */
final class BadInputLog {

    private static final Logger log = LoggerFactory.getLogger("io.comet.transport.badinput");
    private static final int LOUD = 3;

    /** Logged with {@code toString()}, only when something is logged (no String per connection). */
    private final Object who;
    private int count;

    BadInputLog(Object who) {
        this.who = who;
    }

    void bad(String what) {
        int n;
        synchronized (this) {
            n = ++count;
        }
        if (n <= LOUD) {
            log.info("{}: {}{}", who, LogText.escape(what), n == LOUD ? " (further incidents of this connection at debug)" : "");
        } else {
            log.debug("{}: {}", who, LogText.escape(what));
        }
    }
}
