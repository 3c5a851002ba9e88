package io.comet.cometql.protocol;

import io.comet.cometql.CometQlLimits;
import io.comet.core.limits.ConnectionCounter;
import io.comet.core.limits.OncePerSecond;
import java.util.List;

/**
 * What one CometQL listener shares against hostile clients: its connection counts (all, and
 * not yet logged in — each in all and per address) and the login throttle, which is the same
 * instance as that of {@code POST /cometql} when one builder wires both doors.
 */
public final class CometQlGuards {

    private final CometQlLimits limits;
    private final ConnectionCounter<String> connections;
    private final ConnectionCounter<String> unauthenticated;
    private final AuthThrottle throttle;
    private final OncePerSecond refusalLog = new OncePerSecond();

    /** Guards with the limits of {@code limits} around {@code throttle}. */
    public CometQlGuards(CometQlLimits limits, AuthThrottle throttle) {
        this.limits = limits;
        this.connections = new ConnectionCounter<>(limits.maxConnections(), limits.maxConnectionsPerAddress());
        this.unauthenticated = new ConnectionCounter<>(limits.maxUnauthenticated(), limits.maxUnauthenticatedPerAddress());
        this.throttle = throttle;
    }

    public CometQlLimits limits() {
        return limits;
    }

    public ConnectionCounter<String> connections() {
        return connections;
    }

    public ConnectionCounter<String> unauthenticated() {
        return unauthenticated;
    }

    public AuthThrottle throttle() {
        return throttle;
    }

    /** Paces the log lines of refused connections (one a second). */
    public OncePerSecond refusalLog() {
        return refusalLog;
    }

    /** Rows for {@code SHOW GLOBAL STATUS}. */
    public List<List<String>> statusRows() {
        return List.of(
                List.of("backend_connections", Integer.toString(connections.open())),
                List.of("backend_unauthenticated", Integer.toString(unauthenticated.open())),
                List.of("backend_refused_connections", Long.toString(connections.refused() + unauthenticated.refused())),
                List.of("login_checks", Long.toString(throttle.checks())),
                List.of("login_refused", Long.toString(throttle.refused())));
    }
}
