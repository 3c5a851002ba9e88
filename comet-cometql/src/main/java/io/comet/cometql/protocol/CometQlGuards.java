package io.comet.cometql.protocol;

import io.comet.cometql.CometQlLimits;
import io.comet.core.limits.ConnectionCounter;
import java.util.List;

/**
 * What one CometQL listener shares against hostile clients: its connection counts (all, and
 * not yet logged in — each in all and per address) and the login throttle, which is the same
 * instance as that of {@code POST /cometql} when one builder wires both doors.
 */
public final class CometQlGuards {

    private final CometQlLimits limits;
    private final ConnectionCounter connections;
    private final ConnectionCounter unauthenticated;
    private final AuthThrottle throttle;

    /** Guards with the limits of {@code limits} around {@code throttle}. */
    public CometQlGuards(CometQlLimits limits, AuthThrottle throttle) {
        this.limits = limits;
        this.connections = new ConnectionCounter(limits.maxConnections(), limits.maxConnectionsPerAddress());
        this.unauthenticated = new ConnectionCounter(limits.maxUnauthenticated(), limits.maxUnauthenticatedPerAddress());
        this.throttle = throttle;
    }

    public CometQlLimits limits() {
        return limits;
    }

    public ConnectionCounter connections() {
        return connections;
    }

    public ConnectionCounter unauthenticated() {
        return unauthenticated;
    }

    public AuthThrottle throttle() {
        return throttle;
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
