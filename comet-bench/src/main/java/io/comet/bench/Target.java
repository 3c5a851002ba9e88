package io.comet.bench;

/**
 * The server under test: where its WebSocket and CometQL listeners are and how to log in.
 *
 * @param host      address of both listeners (loopback only in this project)
 * @param wsPort    browser (WebSocket) port, {@code [ws] port}
 * @param cqlPort   CometQL (MySQL protocol) port, {@code [cometql] port}
 * @param password  CometQL password, {@code [main] password}
 * @param devId     namespace used by browsers ({@code devid=}) and CometQL ({@code root} = 0)
 * @param serverPid pid of the server process for RSS/heap readings, or -1 when unknown
 * @param rawQl     publish with {@link RawQlSession} instead of JDBC
 */
record Target(String host, int wsPort, int cqlPort, String password, int devId, long serverPid, boolean rawQl) {

    /** The JDBC URL of the CometQL listener (Connector/J, no TLS, no server-side prepares). */
    String jdbcUrl() {
        String user = devId == 0 ? "root" : Integer.toString(devId);
        return "jdbc:mysql://" + host + ":" + cqlPort + "/CometQL_v1?user=" + user
                + "&password=" + password
                + "&sslMode=DISABLED&useSSL=false&allowPublicKeyRetrieval=true"
                + "&useServerPrepStmts=false&cachePrepStmts=false"
                + "&useLocalSessionState=true&useLocalTransactionState=true"
                + "&cacheServerConfiguration=true&elideSetAutoCommits=true"
                + "&connectTimeout=10000&socketTimeout=60000&tcpNoDelay=true";
    }

    Target withRawQl(boolean raw) {
        return new Target(host, wsPort, cqlPort, password, devId, serverPid, raw);
    }

    Target withPid(long pid) {
        return new Target(host, wsPort, cqlPort, password, devId, pid, rawQl);
    }
}
