package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.broker.Member;
import io.comet.core.engine.CometEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code users_in_pipes}: one row per subscribed connection, read-only (cometql.md §3.3). By
 * default anonymous subscribers are listed with {@code user_id} 0 (the source's behaviour).
 */
final class UsersInPipesTable extends VirtualTable {

    private final boolean authorizedOnly;

    UsersInPipesTable(CometEngine engine, boolean authorizedOnly) {
        super(engine, "users_in_pipes", "name", "name", "user_id", "user_uuid", "user_agent", "ip", "origin", "language");
        this.authorizedOnly = authorizedOnly;
    }

    @Override
    String typeOf(String column) {
        return column.equals("user_id") ? "int(11)" : "varchar(255)";
    }

    @Override
    boolean readOnly() {
        return true;
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        return inOrder(pipeNames(keys, engine.config().maxPipeNameLength()),
                name -> engine.everywhere().members(s.devId(), name).thenApply(members -> {
                    List<List<String>> rows = new ArrayList<>();
                    for (Member m : members) {
                        if (!authorizedOnly || m.userId() > 0) {
                            rows.add(List.of(name, Long.toString(m.userId()), m.uuid(), m.userAgent(), m.ip(), m.origin(),
                                    m.language()));
                        }
                    }
                    return rows;
                }));
    }
}
