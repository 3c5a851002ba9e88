package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code users_data}: free-form text per user (cometql.md §3.8). */
final class UsersDataTable extends VirtualTable {

    UsersDataTable(CometEngine engine) {
        super(engine, "users_data", "id", "id", "data");
    }

    @Override
    String typeOf(String column) {
        return column.equals("id") ? "int(11)" : "text";
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        return inOrder(ids(keys, 1), id -> engine.accounts().userData(s.devId(), id)
                .thenApply(d -> d.isPresent() ? List.of(List.of(Long.toString(id), d.get())) : List.of()));
    }

    @Override
    CompletableFuture<QueryResult> insert(QlSession s, Map<String, Value> row) {
        long id = UsersAuthTable.userId(row);
        String data = required(row, "data");
        return engine.accounts().putUserData(s.devId(), id, data).thenApply(v -> new QueryResult.Update(1, id));
    }

    @Override
    CompletableFuture<QueryResult> delete(QlSession s, Map<String, List<Value>> where) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (long id : ids(keyValues(where, "id", SELECT_WITHOUT_KEY), 1)) {
            fs.add(engine.accounts().deleteUserData(s.devId(), id));
        }
        return allInOrder(fs).thenApply(v -> QueryResult.Update.NONE);
    }
}
