package io.comet.cometql.protocol;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.table.CometQlExecutor;
import io.comet.cometql.table.QlSession;
import io.comet.core.engine.CometEngine;

/**
 * What the command executors of one logged-in connection see: the engine, the query executor,
 * the session (namespace, database) and the client's capability flags.
 */
public final class CometQlConnection {

    private final CometEngine engine;
    private final CometQlConfig config;
    private final CometQlExecutor executor;
    private final QlSession session;
    private final int clientCapabilities;
    private final boolean authenticated;

    /** State of a connection after login. */
    public CometQlConnection(CometEngine engine, CometQlConfig config, CometQlExecutor executor, QlSession session,
                             int clientCapabilities, boolean authenticated) {
        this.engine = engine;
        this.config = config;
        this.executor = executor;
        this.session = session;
        this.clientCapabilities = clientCapabilities;
        this.authenticated = authenticated;
    }

    public CometEngine engine() {
        return engine;
    }

    public CometQlConfig config() {
        return config;
    }

    public CometQlExecutor executor() {
        return executor;
    }

    public QlSession session() {
        return session;
    }

    /** True if the client set {@code flag}. */
    public boolean clientHas(int flag) {
        return (clientCapabilities & flag) != 0;
    }

    /** False for a {@code haproxy_check} login without password: queries get ERR 403. */
    public boolean authenticated() {
        return authenticated;
    }
}
