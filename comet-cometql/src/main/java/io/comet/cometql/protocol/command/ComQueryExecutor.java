package io.comet.cometql.protocol.command;

import io.comet.cometql.protocol.CometQlConnection;
import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.table.QlError;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * COM_QUERY (cometql.md §1.6): access check (ERR 403), size limit (ERR 11), UTF-8 validation
 * (ERR 12), then the shared executor; multi-statements when the client asked for them.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html">COM_QUERY</a>
 */
public final class ComQueryExecutor implements CommandExecutor {

    private final CometQlConnection conn;
    private final byte[] query;

    ComQueryExecutor(CometQlConnection conn, MySqlPacketPayload payload) {
        this.conn = conn;
        this.query = payload.readBytesEof();
    }

    @Override
    public CompletableFuture<CommandResponse> execute() {
        if (!conn.authenticated()) {
            return CommandResponse.error(new QlError(403, "Access denied"));
        }
        if (query.length >= conn.config().maxQueryBytes()) {
            return CommandResponse.error(new QlError(11, "Data is too long"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(query)).toString();
        } catch (CharacterCodingException e) {
            return CommandResponse.error(new QlError(12, "Invalid UTF-8 in query"));
        }
        boolean multi = conn.clientHas(MySqlConstants.CLIENT_MULTI_STATEMENTS);
        return conn.executor().run(conn.session(), text, multi)
                .thenApply(outcomes -> new CommandResponse(ResultPackets.of(outcomes), false));
    }
}
