package io.comet.cometql.table;

import io.comet.cometql.sql.Statement.Condition;
import io.comet.cometql.sql.Value;
import io.comet.core.CometException;
import io.comet.core.ErrorCode;
import io.comet.core.store.StreamPosition;
import io.comet.core.engine.CometEngine;
import io.comet.core.Names;
import io.comet.core.store.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code pipes_messages}: INSERT publishes, SELECT reads history, DELETE clears it (cometql.md §3.1). */
final class PipesMessagesTable extends VirtualTable {

    PipesMessagesTable(CometEngine engine) {
        super(engine, "pipes_messages", "name", "id", "time", "name", "index", "event", "message", "user_id", "offset",
                "epoch");
    }

    /** The original's seven columns: {@code offset} and {@code epoch} are the server's, read-only. */
    private static final List<String> INSERT_COLUMNS =
            List.of("id", "time", "name", "index", "event", "message", "user_id");

    @Override
    List<String> insertColumns() {
        return INSERT_COLUMNS;
    }

    @Override
    String typeOf(String column) {
        switch (column) {
            case "time":
            case "index":
            case "user_id":
                return "int(11)";
            case "offset":
                return "bigint(20)";
            case "message":
                return "text";
            default:
                return "varchar(64)";
        }
    }

    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys) {
        List<String> names = pipeNames(keys, engine.config().maxPipeNameLength());
        return inOrder(names, name -> engine.history().page(s.devId(), name).thenApply(page -> {
            List<List<String>> rows = new ArrayList<>(page.entries().size());
            for (HistoryEntry e : page.entries()) {
                rows.add(new ArrayList<>(List.of(e.id(), Long.toString(e.time()), e.pipe(), "", e.event(), e.text(),
                        Long.toString(e.userId()), Long.toString(e.offset()), e.offset() > 0 ? page.epoch() : "")));
            }
            return rows;
        })).thenApply(rows -> numbered(rows, 3));
    }

    /**
     * {@code WHERE name = … AND offset > N [AND epoch = …]}: the pipe's publications after
     * offset N, oldest first — or ERR 15 when the history no longer holds all of them (the epoch
     * changed or they were trimmed), never a silent gap (docs/cometql.md §3.1).
     */
    @Override
    CompletableFuture<List<List<String>>> select(QlSession s, List<Value> keys, List<Condition> conditions) {
        Condition after = null;
        String epoch = null;
        for (Condition c : conditions) {
            if (c.column().equals("offset") && c.op().equals(">")) {
                after = c;
            } else if (c.column().equals("epoch") && c.op().equals("=")) {
                epoch = c.values().get(0).text();
            }
        }
        if (after == null || keys == null) {
            return select(s, keys);
        }
        long from = after.values().get(0).asLong();
        String askedEpoch = epoch;
        List<String> names = pipeNames(keys, engine.config().maxPipeNameLength());
        return inOrder(names, name -> engine.history().position(s.devId(), name).thenCompose(p -> {
            String e = askedEpoch != null ? askedEpoch : p.map(StreamPosition::epoch).orElse("");
            return engine.history().since(s.devId(), name, e, from);
        }).thenApply(r -> {
            if (!r.recovered()) {
                throw new CometException(ErrorCode.NOT_EXIST, "The history of `" + name + "` no longer holds every"
                        + " message after offset " + from + " (epoch " + r.epoch() + ", now at " + r.offset() + ")");
            }
            List<List<String>> rows = new ArrayList<>(r.missed().size());
            for (HistoryEntry h : r.missed()) {
                rows.add(new ArrayList<>(List.of(h.id(), Long.toString(h.time()), h.pipe(), "", h.event(), h.text(),
                        Long.toString(h.userId()), Long.toString(h.offset()), r.epoch())));
            }
            return rows;
        })).thenApply(rows -> numbered(rows, 3));
    }

    @Override
    CompletableFuture<QueryResult> insert(QlSession s, Map<String, Value> row) {
        String name = required(row, "name");
        String event = required(row, "event");
        String message = required(row, "message");
        // acknowledged once the history entry (if the pipe keeps history) is durable, and then once
        // the delivery backlog is under the transports' budget (push-back: a publisher, one command
        // at a time per connection, goes no faster than delivery); the pipe rules are the engine's
        return engine.publish(s.devId(), name, event, message)
                .thenCompose(n -> engine.backpressure().whenBelowLimit())
                .thenApply(v -> QueryResult.Update.NONE);
    }

    @Override
    CompletableFuture<QueryResult> delete(QlSession s, Map<String, List<Value>> where) {
        List<CompletableFuture<?>> fs = new ArrayList<>();
        int max = engine.config().maxPipeNameLength();
        if (where.containsKey("name")) {
            for (String name : pipeNames(where.get("name"), max)) {
                fs.add(engine.history().delete(s.devId(), name));
            }
        } else if (where.containsKey("id")) {
            for (Value v : where.get("id")) {
                if (!v.isNull() && Names.isValid(v.text(), 3, max)) {
                    fs.add(engine.history().deleteEntry(s.devId(), v.text()));
                }
            }
        } else {
            keyValues(where, "name", SELECT_WITHOUT_KEY);
        }
        return allInOrder(fs).thenApply(v -> QueryResult.Update.NONE);
    }
}
