package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import io.comet.core.Names;
import io.comet.core.store.QueuedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code users_messages}: private messages and the offline queue (cometql.md §3.7). */
final class UsersMessagesTable extends VirtualTable {

    UsersMessagesTable(CometEngine engine) {
        super(engine, "users_messages", "id", "id", "index", "event", "message");
    }

    @Override
    String typeOf(String column) {
        switch (column) {
            case "id":
            case "index":
                return "int(11)";
            case "message":
                return "text";
            default:
                return "varchar(64)";
        }
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        return inOrder(ids(keys, 0), id -> engine.accounts().queuedMessages(s.devId(), id).thenApply(list -> {
            List<List<String>> rows = new ArrayList<>();
            for (QueuedMessage q : list) {
                rows.add(new ArrayList<>(List.of(Long.toString(id), "", q.event(), q.text())));
            }
            return rows;
        })).thenApply(rows -> numbered(rows, 1));
    }

    @Override
    CompletableFuture<QueryResult> insert(QlSession s, Map<String, Value> row) {
        long id = UsersAuthTable.userId(row);
        String event = required(row, "event");
        String message = required(row, "message");
        Names.checkUserId(id, true);
        return engine.sendPrivate(s.devId(), id, event, message)
                .thenCompose(n -> engine.backpressure().whenBelowLimit()) // push-back, as for pipes_messages
                .thenApply(v -> new QueryResult.Update(0, id));
    }

    @Override
    CompletableFuture<QueryResult> delete(QlSession s, Map<String, List<Value>> where) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (long id : ids(keyValues(where, "id", SELECT_WITHOUT_KEY), 0)) {
            fs.add(engine.accounts().clearQueue(s.devId(), id));
        }
        return allInOrder(fs).thenApply(v -> QueryResult.Update.NONE);
    }
}
