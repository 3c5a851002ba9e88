package io.comet.cometql.protocol.command;

import io.comet.cometql.protocol.CometQlConnection;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.command.MySqlCommandType;

/** Maps a command to its executor with one switch; anything unknown gets an ERR (cometql.md §1.6). */
public final class MySqlCommandExecutorFactory {

    private MySqlCommandExecutorFactory() {
    }

    /**
     * The executor of {@code type}; {@code payload} is positioned after the command byte.
     *
     * @throws io.comet.cometql.protocol.MySqlProtocolException if the command's payload is malformed
     */
    public static CommandExecutor newInstance(MySqlCommandType type, MySqlPacketPayload payload, CometQlConnection conn) {
        switch (type) {
            case COM_QUERY:
                return new ComQueryExecutor(conn, payload);
            case COM_PING:
            case COM_RESET_CONNECTION:
                return new SimpleExecutors.ComPingExecutor();
            case COM_QUIT:
                return new SimpleExecutors.ComQuitExecutor();
            case COM_INIT_DB:
                return new SimpleExecutors.ComInitDbExecutor(conn, payload);
            case COM_FIELD_LIST:
                return new SimpleExecutors.ComFieldListExecutor();
            case COM_SET_OPTION:
                return new SimpleExecutors.ComSetOptionExecutor();
            case COM_STATISTICS:
                return new SimpleExecutors.ComStatisticsExecutor(conn);
            case COM_STMT_CLOSE:
            case COM_STMT_SEND_LONG_DATA:
                return new SimpleExecutors.NoResponseExecutor();
            case COM_STMT_PREPARE:
            case COM_STMT_EXECUTE:
            case COM_STMT_RESET:
            case COM_STMT_FETCH:
                return new SimpleExecutors.UnsupportedCommandExecutor("Prepared statements are not implemented");
            case COM_CHANGE_USER:
                return new SimpleExecutors.UnsupportedCommandExecutor("COM_CHANGE_USER is not implemented");
            default:
                return new SimpleExecutors.UnsupportedCommandExecutor("Unknown command");
        }
    }
}
