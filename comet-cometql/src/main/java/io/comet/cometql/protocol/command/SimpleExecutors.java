package io.comet.cometql.protocol.command;

import io.comet.cometql.protocol.CometQlConnection;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.command.MySqlTextPacket;
import io.comet.cometql.protocol.packet.generic.MySqlEofPacket;
import io.comet.cometql.protocol.packet.generic.MySqlOkPacket;
import io.comet.cometql.table.QlError;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The executors of the commands that need no query engine (cometql.md §1.6). */
final class SimpleExecutors {

    private SimpleExecutors() {
    }

    /** COM_PING and COM_RESET_CONNECTION: OK. */
    static final class ComPingExecutor implements CommandExecutor {
        @Override
        public CompletableFuture<CommandResponse> execute() {
            return CommandResponse.of(MySqlOkPacket.PLAIN);
        }
    }

    /** COM_QUIT: close silently, as MySQL does. */
    static final class ComQuitExecutor implements CommandExecutor {
        @Override
        public CompletableFuture<CommandResponse> execute() {
            return CompletableFuture.completedFuture(new CommandResponse(List.of(), true));
        }
    }

    /** COM_INIT_DB: {@code CometQL_v1} or {@code db_N}, else ERR 15 (the connection stays). */
    static final class ComInitDbExecutor implements CommandExecutor {
        private final CometQlConnection conn;
        private final String database;

        ComInitDbExecutor(CometQlConnection conn, MySqlPacketPayload payload) {
            this.conn = conn;
            this.database = payload.readStringEof();
        }

        @Override
        public CompletableFuture<CommandResponse> execute() {
            try {
                conn.executor().selectDatabase(conn.session(), database);
                return CommandResponse.of(MySqlOkPacket.PLAIN);
            } catch (RuntimeException e) {
                return CommandResponse.error(QlError.of(e));
            }
        }
    }

    /** COM_FIELD_LIST: a lone EOF (lets the mysql CLI's auto-rehash work). */
    static final class ComFieldListExecutor implements CommandExecutor {
        @Override
        public CompletableFuture<CommandResponse> execute() {
            return CommandResponse.of(MySqlEofPacket.DEFAULT);
        }
    }

    /** COM_SET_OPTION: EOF, as the protocol prescribes. */
    static final class ComSetOptionExecutor implements CommandExecutor {
        @Override
        public CompletableFuture<CommandResponse> execute() {
            return CommandResponse.of(MySqlEofPacket.DEFAULT);
        }
    }

    /** COM_STATISTICS: a human-readable text packet. */
    static final class ComStatisticsExecutor implements CommandExecutor {
        private final CometQlConnection conn;

        ComStatisticsExecutor(CometQlConnection conn) {
            this.conn = conn;
        }

        @Override
        public CompletableFuture<CommandResponse> execute() {
            long uptime = Math.max(0, (System.currentTimeMillis() - conn.engine().stats().startMillis()) / 1000);
            return CommandResponse.of(new MySqlTextPacket("Uptime: " + uptime + "  Threads: "
                    + conn.engine().stats().backendOnline() + "  Questions: " + conn.engine().stats().messages()
                    + "  Slow queries: 0  Opens: 0  Flush tables: 0  Open tables: 0  Queries per second avg: 0.000"));
        }
    }

    /** Commands MySQL answers with nothing (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA). */
    static final class NoResponseExecutor implements CommandExecutor {
        @Override
        public CompletableFuture<CommandResponse> execute() {
            return CompletableFuture.completedFuture(new CommandResponse(List.of(), false));
        }
    }

    /** Everything else: an ERR, never a dropped connection. */
    static final class UnsupportedCommandExecutor implements CommandExecutor {
        private final String message;

        UnsupportedCommandExecutor(String message) {
            this.message = message;
        }

        @Override
        public CompletableFuture<CommandResponse> execute() {
            return CommandResponse.error(new QlError(2, message));
        }
    }
}
