package io.comet.cometql.table;

import io.comet.cometql.sql.Value;
import io.comet.core.engine.CometEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code revoked_tokens}: revoked JWTs; INSERT of a valid token kicks its user (cometql.md §3.9). */
final class RevokedTokensTable extends VirtualTable {

    RevokedTokensTable(CometEngine engine) {
        super(engine, "revoked_tokens", "token", "token");
    }

    @Override
    String typeOf(String column) {
        return "varchar(600)";
    }

    @Override
    boolean selectAllowedWithoutKey() {
        return true;
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        if (keys == null) {
            return engine.accounts().revokedTokens(s.devId()).thenApply(all -> {
                List<List<String>> rows = new ArrayList<>();
                for (String t : all) {
                    rows.add(List.of(t));
                }
                return rows;
            });
        }
        List<String> tokens = new ArrayList<>();
        for (Value v : keys) {
            if (!v.isNull() && !v.text().isEmpty()) {
                tokens.add(v.text());
            }
        }
        return inOrder(tokens, t -> engine.accounts().isRevoked(s.devId(), t)
                .thenApply(r -> r ? List.of(List.of(t)) : List.of()));
    }

    @Override
    CompletableFuture<QueryResult> insert(QlSession s, Map<String, Value> row) {
        String token = required(row, "token");
        return engine.accounts().revokeToken(s.devId(), token).thenApply(v -> new QueryResult.Update(1, 1));
    }

    @Override
    CompletableFuture<QueryResult> delete(QlSession s, Map<String, List<Value>> where) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        for (Value v : keyValues(where, "token", DELETE_WITHOUT_KEY)) {
            if (!v.isNull()) {
                fs.add(engine.accounts().unrevokeToken(s.devId(), v.text()));
            }
        }
        return allInOrder(fs).thenApply(v -> QueryResult.Update.NONE);
    }
}
