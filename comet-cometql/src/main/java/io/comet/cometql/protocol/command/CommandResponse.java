package io.comet.cometql.protocol.command;

import io.comet.cometql.protocol.packet.MySqlPacket;
import io.comet.cometql.protocol.packet.generic.MySqlErrPacket;
import io.comet.cometql.table.QlError;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The packets answering one command (possibly none) and whether to close the connection after
 * writing them.
 */
public record CommandResponse(List<MySqlPacket> packets, boolean close) {

    /** Answers with {@code packets} and keeps the connection. */
    public static CompletableFuture<CommandResponse> of(MySqlPacket... packets) {
        return CompletableFuture.completedFuture(new CommandResponse(List.of(packets), false));
    }

    /** Answers with an ERR for {@code error}. */
    public static CompletableFuture<CommandResponse> error(QlError error) {
        return of(new MySqlErrPacket(error.code(), error.message()));
    }
}
