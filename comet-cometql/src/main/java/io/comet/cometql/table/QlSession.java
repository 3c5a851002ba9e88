package io.comet.cometql.table;

/**
 * State of one CometQL connection (MySQL port) or request (HTTP): the dev_id namespace, the
 * selected database, and what {@code USER()} / {@code CONNECTION_ID()} report. Used by one
 * command at a time.
 */
public final class QlSession {

    private final long connectionId;
    private final String user;
    private final String host;
    private volatile int devId;
    private volatile String database;

    /** A session in namespace {@code devId}. */
    public QlSession(long connectionId, String user, String host, int devId, String database) {
        this.connectionId = connectionId;
        this.user = user;
        this.host = host;
        this.devId = devId;
        this.database = database;
    }

    public long connectionId() {
        return connectionId;
    }

    public String user() {
        return user;
    }

    public String host() {
        return host;
    }

    /** The dev_id namespace every table operation is confined to. */
    public int devId() {
        return devId;
    }

    /** The selected database or {@code null}. */
    public String database() {
        return database;
    }

    void select(String database, int devId) {
        this.database = database;
        this.devId = devId;
    }
}
