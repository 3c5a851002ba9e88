package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code users_auth}: browser auth hashes; DELETE kicks the user (cometql.md §3.5). */
final class UsersAuthTable extends VirtualTable {

    UsersAuthTable(CometEngine engine) {
        super(engine, "users_auth", "id", "id", "hash");
    }

    @Override
    String typeOf(String column) {
        return column.equals("id") ? "int(11)" : "varchar(32)";
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        return inOrder(ids(keys, 1), id -> engine.accounts().authHash(s.devId(), id)
                .thenApply(h -> h.isPresent() ? List.of(List.of(Long.toString(id), h.get())) : List.of()));
    }

    @Override
    CompletableFuture<QueryResult> insert(QlSession s, Map<String, Value> row) {
        long id = userId(row);
        String hash = required(row, "hash");
        return engine.accounts().putAuthHash(s.devId(), id, hash).thenApply(v -> new QueryResult.Update(1, id));
    }

    static long userId(Map<String, Value> row) {
        required(row, "id");
        Value v = row.get("id");
        String t = v.text().strip();
        if (t.isEmpty() || !(Character.isDigit(t.charAt(0)) || t.charAt(0) == '-' || t.charAt(0) == '+')) {
            throw new CometException(ErrorCode.INVALID_DATA, "The id field must be non-negative");
        }
        long id = v.asLong();
        if (id > 999_999_999L) {
            throw new CometException(ErrorCode.INVALID_DATA, "The id field must have at most 9 digits");
        }
        return id;
    }

    @Override
    CompletableFuture<QueryResult> delete(QlSession s, Map<String, List<Value>> where) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (long id : ids(keyValues(where, "id", SELECT_WITHOUT_KEY), 1)) {
            fs.add(engine.accounts().deleteAuthHash(s.devId(), id));
        }
        return allInOrder(fs).thenApply(v -> QueryResult.Update.NONE);
    }
}
