package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code users_time}: 0 online, -1 unknown, else last disconnect time; read-only (cometql.md §3.6). */
final class UsersTimeTable extends VirtualTable {

    UsersTimeTable(CometEngine engine) {
        super(engine, "users_time", "id", "id", "time");
    }

    @Override
    String typeOf(String column) {
        return "int(11)";
    }

    @Override
    boolean readOnly() {
        return true;
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        return inOrder(ids(keys, 0), id -> engine.lastSeen(s.devId(), id)
                .thenApply(t -> List.of(List.of(Long.toString(id), Long.toString(t)))));
    }
}
