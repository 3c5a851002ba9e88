package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code pipes_settings}: history length per pipe (cometql.md §3.4). */
final class PipesSettingsTable extends VirtualTable {

    PipesSettingsTable(CometEngine engine) {
        super(engine, "pipes_settings", "name", "name", "length");
    }

    @Override
    String typeOf(String column) {
        return column.equals("length") ? "int(11)" : "varchar(64)";
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        return inOrder(pipeNames(keys, engine.config().maxPipeNameLength()),
                name -> engine.history().length(s.devId(), name).thenApply((Optional<Integer> len) -> len.isPresent()
                        ? List.of(List.of(name, Integer.toString(len.get()))) : List.of()));
    }

    @Override
    CompletableFuture<QueryResult> insert(QlSession s, Map<String, Value> row) {
        String name = required(row, "name");
        Value len = row.get("length");
        long length = len == null || len.isNull() ? 0 : len.asLong();
        return engine.history().setLength(s.devId(), name, length).thenApply(v -> new QueryResult.Update(1, 0));
    }

    @Override
    CompletableFuture<QueryResult> delete(QlSession s, Map<String, List<Value>> where) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (String name : pipeNames(keyValues(where, "name", SELECT_WITHOUT_KEY), engine.config().maxPipeNameLength())) {
            fs.add(engine.history().deleteSetting(s.devId(), name));
        }
        return allInOrder(fs).thenApply(v -> QueryResult.Update.NONE);
    }
}
