package io.comet.cometql.protocol;

/**
 * Capability and status flags, character sets and column types used by CometQL
 * (cometql.md §1.2, §1.7, §1.8).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html">Capabilities</a>
 */
public final class MySqlConstants {

    public static final int CLIENT_LONG_PASSWORD = 1;
    public static final int CLIENT_FOUND_ROWS = 1 << 1;
    public static final int CLIENT_LONG_FLAG = 1 << 2;
    public static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
    public static final int CLIENT_COMPRESS = 1 << 5;
    public static final int CLIENT_LOCAL_FILES = 1 << 7;
    public static final int CLIENT_PROTOCOL_41 = 1 << 9;
    public static final int CLIENT_INTERACTIVE = 1 << 10;
    public static final int CLIENT_SSL = 1 << 11;
    public static final int CLIENT_IGNORE_SIGPIPE = 1 << 12;
    public static final int CLIENT_TRANSACTIONS = 1 << 13;
    public static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    public static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
    public static final int CLIENT_MULTI_RESULTS = 1 << 17;
    public static final int CLIENT_PLUGIN_AUTH = 1 << 19;
    public static final int CLIENT_CONNECT_ATTRS = 1 << 20;
    public static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    public static final int CLIENT_DEPRECATE_EOF = 1 << 24;

    /**
     * What CometQL advertises: only what is implemented (no SSL, COMPRESS, LOCAL_FILES,
     * DEPRECATE_EOF; cometql.md §1.2 [proj]).
     */
    public static final int SERVER_CAPABILITIES = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_INTERACTIVE | CLIENT_IGNORE_SIGPIPE
            | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS
            | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

    /** SERVER_STATUS_AUTOCOMMIT: the only status flag CometQL sends (never NO_BACKSLASH_ESCAPES). */
    public static final int STATUS_AUTOCOMMIT = 0x0002;
    /** SERVER_MORE_RESULTS_EXISTS, set while chaining multi-statement results. */
    public static final int STATUS_MORE_RESULTS = 0x0008;

    /** utf8mb4_general_ci, announced in the handshake. */
    public static final int CHARSET_UTF8MB4_GENERAL_CI = 45;
    /** utf8_general_ci, used in column definitions (as the original). */
    public static final int CHARSET_UTF8_GENERAL_CI = 33;
    /** MYSQL_TYPE_VAR_STRING: every CometQL column. */
    public static final int TYPE_VAR_STRING = 0xFD;

    /** The only auth plugin. */
    public static final String NATIVE_PASSWORD = "mysql_native_password";

    private MySqlConstants() {
    }
}
