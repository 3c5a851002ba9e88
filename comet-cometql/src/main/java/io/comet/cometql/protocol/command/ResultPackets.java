package io.comet.cometql.protocol.command;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.packet.MySqlPacket;
import io.comet.cometql.protocol.packet.command.MySqlColumnDefinition41Packet;
import io.comet.cometql.protocol.packet.command.MySqlFieldCountPacket;
import io.comet.cometql.protocol.packet.command.MySqlTextResultSetRowPacket;
import io.comet.cometql.protocol.packet.generic.MySqlEofPacket;
import io.comet.cometql.protocol.packet.generic.MySqlErrPacket;
import io.comet.cometql.protocol.packet.generic.MySqlOkPacket;
import io.comet.cometql.table.CometQlExecutor.Outcome;
import io.comet.cometql.table.QueryResult;
import java.util.ArrayList;
import java.util.List;

/** Turns statement outcomes into MySQL packets (cometql.md §1.7–1.9). */
final class ResultPackets {

    private ResultPackets() {
    }

    /** Packets for each outcome; every one but the last carries SERVER_MORE_RESULTS_EXISTS. */
    static List<MySqlPacket> of(List<Outcome> outcomes) {
        List<MySqlPacket> out = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            int status = MySqlConstants.STATUS_AUTOCOMMIT | (i < outcomes.size() - 1 ? MySqlConstants.STATUS_MORE_RESULTS : 0);
            if (o.error() != null) {
                out.add(new MySqlErrPacket(o.error().code(), o.error().message()));
            } else if (o.result() instanceof QueryResult.Rows) {
                QueryResult.Rows rows = (QueryResult.Rows) o.result();
                out.add(new MySqlFieldCountPacket(rows.columns().size()));
                for (String c : rows.columns()) {
                    out.add(new MySqlColumnDefinition41Packet(rows.table(), c));
                }
                out.add(MySqlEofPacket.DEFAULT);
                for (List<String> r : rows.rows()) {
                    out.add(new MySqlTextResultSetRowPacket(r));
                }
                out.add(new MySqlEofPacket(status));
            } else {
                QueryResult.Update u = (QueryResult.Update) o.result();
                out.add(new MySqlOkPacket(u.affectedRows(), u.lastInsertId(), status));
            }
        }
        return out;
    }
}
