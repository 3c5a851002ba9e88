package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code pipes}: subscriber counts per pipe, read-only (cometql.md §3.2). */
final class PipesTable extends VirtualTable {

    PipesTable(CometEngine engine) {
        super(engine, "pipes", "name", "name", "users");
    }

    @Override
    String typeOf(String column) {
        return column.equals("users") ? "int(11)" : "varchar(64)";
    }

    @Override
    boolean readOnly() {
        return true;
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        return inOrder(pipeNames(keys, engine.config().maxPipeNameLength()), name -> engine
                .everywhere().subscriberCount(s.devId(), name).thenApply(n -> List.of(List.of(name, Integer.toString(n)))));
    }
}
