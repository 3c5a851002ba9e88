package io.comet.server;

/**
 * How a client on this machine reaches a {@link CometServer} bound to an address: the wildcard
 * addresses become {@code 127.0.0.1}; the node name, the JDBC URL and the {@code mysql} command
 * line shown in the start log.
 */
final class LocalAddresses {

    private LocalAddresses() {
    }

    static String localHost(String ip) {
        return ip.equals("0.0.0.0") || ip.equals("::") || ip.equals("[::]") ? "127.0.0.1" : ip;
    }

    /** {@code host:port} of the browser listener bound to {@code ip}. */
    static String node(String ip, int port) {
        return localHost(ip) + ":" + port;
    }

    /** The JDBC URL of the CometQL listener bound to {@code ip} (user {@code root}, namespace 0). */
    static String jdbcUrl(String ip, int port) {
        return "jdbc:mysql://" + localHost(ip) + ":" + port + "/CometQL_v1";
    }

    /** The {@code mysql} command line publishing {@code hello} to pipe {@code web_demo}. */
    static String mysqlCommand(String ip, int port, String password, boolean showPassword) {
        return "mysql -h" + localHost(ip) + " -P" + port + " -uroot "
                + (showPassword ? "-p'" + password.replace("'", "'\\''") + "'" : "-p")
                + " -e \"INSERT INTO pipes_messages (name, event, message) VALUES ('web_demo', 'message', 'hello')\"";
    }
}
