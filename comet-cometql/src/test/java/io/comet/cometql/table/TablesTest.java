package io.comet.cometql.table;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.table.CometQlExecutor.Outcome;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.Message;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3: every table and statement of cometql.md §3 with the error codes and texts of
 * §4 and the shared rules of §2.3, through the executor both doors use.
 */
class TablesTest {

    static final Duration WAIT = Duration.ofSeconds(5);

    CometEngine engine;
    CometQlExecutor ex;
    QlSession s;

    @BeforeEach
    void setUp() {
        engine = CometEngine.builder().config(CometConfig.builder().password("secret").maxHistoryLength(99).build())
                .maintenanceIntervalSeconds(0).build();
        ex = new CometQlExecutor(engine, CometQlConfig.DEFAULT);
        s = new QlSession(1, "root", "127.0.0.1", 0, "CometQL_v1");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private QueryResult ok(String q) {
        List<Outcome> o = ex.run(s, q, false).join();
        assertThat(o.get(0).error()).as(q).isNull();
        return o.get(0).result();
    }

    private List<List<String>> rows(String q) {
        return ((QueryResult.Rows) ok(q)).rows();
    }

    private QueryResult.Update update(String q) {
        return (QueryResult.Update) ok(q);
    }

    private QlError err(String q) {
        List<Outcome> o = ex.run(s, q, false).join();
        assertThat(o.get(0).error()).as(q).isNotNull();
        return o.get(0).error();
    }

    private void assertErr(String q, int code, String message) {
        assertThat(err(q)).as(q).isEqualTo(new QlError(code, message));
    }

    private InProcessClient browser(int devId, String uuid, String... pipes) {
        InProcessClient c = engine.connectInProcess(ConnectRequest.anonymous(devId, uuid));
        c.subscribe(List.of(pipes));
        return c;
    }

    // ---- push-back (docs/architecture.md rule 5)

    /** A delivery budget the test fills and drains by hand. */
    static final class Backlog implements io.comet.core.DeliveryBacklog {
        volatile long pending;
        final java.util.concurrent.CompletableFuture<Void> drained = new java.util.concurrent.CompletableFuture<>();

        @Override
        public long pendingBytes() {
            return pending;
        }

        @Override
        public long limit() {
            return 100;
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> whenBelowLimit() {
            return pending < 100 ? java.util.concurrent.CompletableFuture.completedFuture(null) : drained;
        }
    }

    @Test
    void insertsAreAcknowledgedOnlyWhenTheDeliveryBacklogIsUnderBudget() {
        InProcessClient b = browser(0, "u1", "web_chat");
        Backlog backlog = new Backlog();
        backlog.pending = 1000;
        engine.backpressure().add(backlog);
        var pipe = ex.run(s, "INSERT INTO pipes_messages (name, event, message) VALUES ('web_chat', 'e', 'x')", false);
        var user = ex.run(s, "INSERT INTO users_messages (id, event, message) VALUES (7, 'e', 'x')", false);
        // published at once (delivery goes on), acknowledged later: the publisher waits
        assertThat(b.await(x -> x.pipe().equals("web_chat"), WAIT).data()).isEqualTo("x");
        assertThat(pipe).isNotDone();
        assertThat(user).isNotDone();
        backlog.pending = 0;
        backlog.drained.complete(null);
        assertThat(pipe.join().get(0).result()).isEqualTo(QueryResult.Update.NONE);
        assertThat(user.join().get(0).result()).isEqualTo(new QueryResult.Update(0, 7));
        // under the budget: no wait
        assertThat(ex.run(s, "INSERT INTO pipes_messages (name, event, message) VALUES ('web_chat', 'e', 'y')", false))
                .isDone();
    }

    // ---- pipes_messages

    @Test
    void pipesMessagesInsertPublishesWithZeroAffectedRows() {
        InProcessClient b = browser(0, "u1", "web_chat");
        assertThat(update("INSERT INTO pipes_messages (name, event, message) VALUES ('web_chat', 'new', '{\"text\":\"hi\"}')"))
                .isEqualTo(new QueryResult.Update(0, 0));
        Message m = b.await(x -> x.pipe().equals("web_chat"), WAIT);
        assertThat(m.event()).isEqualTo("new");
        assertThat(m.text()).isEqualTo("{\"text\":\"hi\"}");
        // id, time, index, user_id may be listed and are ignored; columns in any order
        update("INSERT INTO pipes_messages (message, user_id, name, event, id) VALUES ('x', 5, 'web_chat', '', 'i')");
        assertThat(b.awaitCount("web_chat", 2, WAIT).get(1).text()).isEqualTo("x");
        // other namespaces do not see it
        InProcessClient other = browser(3, "u3", "web_chat");
        update("INSERT INTO pipes_messages (name, event, message) VALUES ('web_chat', 'e', 'y')");
        assertThat(other.messages("web_chat")).isEmpty();
    }

    @Test
    void pipesMessagesValidation() {
        assertErr("INSERT INTO pipes_messages (event, message) VALUES ('e', 'm')", 12, "field `name` is required");
        assertErr("INSERT INTO pipes_messages (name, message) VALUES ('web_x', 'm')", 12, "field `event` is required");
        assertErr("INSERT INTO pipes_messages (name, event) VALUES ('web_x', 'e')", 12, "field `message` is required");
        assertErr("INSERT INTO pipes_messages (name, event, message) VALUES ('ab', 'e', 'm')", 17, "Channel name is too short");
        assertErr("INSERT INTO pipes_messages (name, event, message) VALUES ('" + "a".repeat(65) + "', 'e', 'm')", 11,
                "Channel name is too long");
        assertErr("INSERT INTO pipes_messages (name, event, message) VALUES ('bad name', 'e', 'm')", 12,
                "The channel name can contain only the characters A-Za-z0-9_-");
        assertErr("INSERT INTO pipes_messages (name, event, message) VALUES ('web_x', 'bad.event', 'm')", 12,
                "The channel name can contain only the characters A-Za-z0-9_-");
        assertErr("INSERT INTO pipes_messages (name, event, message) VALUES ('web_x', '" + "e".repeat(65) + "', 'm')", 11,
                "Channel event_name is too long");
        assertErr("INSERT INTO pipes_messages VALUES ('web_x', 'e', 'm')", 14, "Error in columns list");
        assertErr("INSERT INTO pipes_messages (name, event, message) VALUES ('web_x', 'e')", 14, "Error in columns list");
        assertErr("INSERT INTO pipes_messages (name, name, message) VALUES ('web_x', 'e', 'm')", 13,
                "Each column in the insert used only once");
        assertErr("INSERT INTO pipes_messages (name, evnt, message) VALUES ('web_x', 'e', 'm')", 14, "Not a specific column");
        // 7 columns without a list is the full row
        update("INSERT INTO pipes_messages VALUES ('id', 0, 'web_x', 0, 'e', 'full row', 0)");
    }

    @Test
    void pipesMessagesRowsCarryPositionsAndAreReadSinceAnOffset() {
        update("INSERT INTO pipes_settings (name, length) VALUES ('web_pos', 3)");
        for (int i = 1; i <= 5; i++) {
            update("INSERT INTO pipes_messages (name, event, message) VALUES ('web_pos', 'e', 'm" + i + "')");
        }
        List<List<String>> all = rows("SELECT message, offset, epoch FROM pipes_messages WHERE name = 'web_pos'");
        assertThat(all).extracting(r -> r.get(0) + "@" + r.get(1)).containsExactly("m3@3", "m4@4", "m5@5");
        String epoch = all.get(0).get(2);
        assertThat(epoch).isNotEmpty();
        assertThat(rows("SELECT message FROM pipes_messages WHERE name = 'web_pos' AND offset > 3"))
                .containsExactly(List.of("m4"), List.of("m5"));
        assertThat(rows("SELECT message FROM pipes_messages WHERE name = 'web_pos' AND epoch = '" + epoch
                + "' AND offset > 4")).containsExactly(List.of("m5"));
        assertThat(rows("SELECT message FROM pipes_messages WHERE name = 'web_pos' AND offset > 5")).isEmpty();
        assertThat(err("SELECT message FROM pipes_messages WHERE name = 'web_pos' AND offset > 1").code())
                .as("offset 2 was trimmed: not a silent gap").isEqualTo(15);
        assertThat(err("SELECT message FROM pipes_messages WHERE name = 'web_pos' AND epoch = 'old' AND offset > 4")
                .code()).as("another epoch").isEqualTo(15);
    }

    @Test
    void pipesMessagesHistorySelectAndDelete() {
        assertThat(update("INSERT INTO pipes_settings (\"name\", \"length\") VALUES ('p10', 3)"))
                .isEqualTo(new QueryResult.Update(1, 0));
        for (int i = 1; i <= 5; i++) {
            update("INSERT INTO pipes_messages (name, event, message) VALUES ('p10', 'evt" + i + "', 'm" + i + "')");
        }
        update("INSERT INTO pipes_settings (name, length) VALUES ('p11', 5)");
        update("INSERT INTO pipes_messages (name, event, message) VALUES ('p11', '', 'other')");
        await("rows(\"SELECT name FROM pipes_messages WHERE name IN ('p10', 'p11')\").size() == 4").until(() -> rows("SELECT name FROM pipes_messages WHERE name IN ('p10', 'p11')").size() == 4);
        List<List<String>> r = rows("SELECT name, index, event, message, user_id FROM pipes_messages WHERE name IN ('p10', 'p11')");
        assertThat(r).containsExactly(List.of("p10", "0", "evt3", "m3", "0"), List.of("p10", "1", "evt4", "m4", "0"),
                List.of("p10", "2", "evt5", "m5", "0"), List.of("p11", "3", "undefined", "other", "0"));
        List<List<String>> all = rows("SELECT * FROM pipes_messages WHERE name = 'p10'");
        assertThat(all.get(0).get(0)).hasSize(36);
        assertThat(Long.parseLong(all.get(0).get(1))).isCloseTo(engine.nowSeconds(), org.assertj.core.data.Offset.offset(5L));
        assertThat(rows("SELECT message FROM pipes_messages WHERE name = 'p10' LIMIT 1, 1")).containsExactly(List.of("m4"));
        assertErr("SELECT * FROM pipes_messages WHERE id = 'x'", 13,
                "Selection without transferring the requested values of the primary key is not supported");
        assertThat(update("DELETE FROM pipes_messages WHERE id = '" + all.get(0).get(0) + "'")).isEqualTo(QueryResult.Update.NONE);
        await("rows(\"SELECT message FROM pipes_messages WHERE name = 'p10'\").size() == 2").until(() -> rows("SELECT message FROM pipes_messages WHERE name = 'p10'").size() == 2);
        update("DELETE FROM pipes_messages WHERE name = 'p10'");
        await("rows(\"SELECT message FROM pipes_messages WHERE name = 'p10'\").isEmpty()").until(() -> rows("SELECT message FROM pipes_messages WHERE name = 'p10'").isEmpty());
        assertErr("DELETE FROM pipes_messages WHERE event = 'x'", 13,
                "Selection without transferring the requested values of the primary key is not supported");
        // trust_* pipes are always logged
        update("INSERT INTO pipes_messages (name, event, message) VALUES ('trust_x', 'e', 'kept')");
        await("rows(\"SELECT message FROM pipes_messages WHERE name = 'trust_x'\").size() == 1").until(() -> rows("SELECT message FROM pipes_messages WHERE name = 'trust_x'").size() == 1);
    }

    // ---- pipes, users_in_pipes

    @Test
    void pipesCountsConnectionsInInOrderSkippingInvalidNames() {
        InProcessClient a = browser(0, "a", "web_admins");
        InProcessClient b = browser(0, "b", "web_admins");
        assertThat(rows("SELECT * FROM pipes WHERE name IN ('web_admins', 'web_php_chat', 'a', 'bad name', 'web_admins')"))
                .containsExactly(List.of("web_admins", "2"), List.of("web_php_chat", "0"), List.of("web_admins", "2"));
        assertThat(rows("SELECT users FROM pipes WHERE name = 'web_admins'")).containsExactly(List.of("2"));
        assertThat(rows("SELECT * FROM pipes WHERE name LIKE 'web_admins'")).as("lenient: LIKE on the key acts as =")
                .containsExactly(List.of("web_admins", "2"));
        assertThat(rows("SELECT * FROM pipes WHERE name = 'web_admins' AND users = 5")).as("lenient: non-key ignored")
                .containsExactly(List.of("web_admins", "2"));
        assertErr("INSERT INTO pipes (name, users) VALUES ('x', 1)", 10, "Table `pipes` is read only");
        assertErr("DELETE FROM pipes WHERE name = 'web_admins'", 10, "Table `pipes` is read only");
        a.disconnect();
        b.disconnect();
    }

    @Test
    void usersInPipesListsEveryConnectionWithHeaders() {
        engine.accounts().putAuthHash(0, 14, "h14").join();
        InProcessClient anon = browser(0, "anon-uuid", "track_online");
        InProcessClient user = engine.connectInProcess(new ConnectRequest(0, 14, "h14", "user-uuid", 4, "UA/1",
                "10.0.0.1", "http://127.0.0.1", "ru"));
        user.subscribe(List.of("track_online"));
        assertThat(rows("SELECT * FROM users_in_pipes WHERE name = 'track_online'")).containsExactly(
                List.of("track_online", "0", "anon-uuid", "", "", "", ""),
                List.of("track_online", "14", "user-uuid", "UA/1", "10.0.0.1", "http://127.0.0.1", "ru"));
        CometQlExecutor authorizedOnly = new CometQlExecutor(engine,
                CometQlConfig.builder().usersInPipesAuthorizedOnly(true).build());
        Outcome o = authorizedOnly.run(s, "SELECT name, user_id FROM users_in_pipes WHERE name = 'track_online'", false).join().get(0);
        assertThat(((QueryResult.Rows) o.result()).rows()).containsExactly(List.of("track_online", "14"));
        assertErr("INSERT INTO users_in_pipes (name) VALUES ('x')", 10, "Table `users_in_pipes` is read only");
        anon.disconnect();
        user.disconnect();
    }

    // ---- pipes_settings

    @Test
    void pipesSettingsUpsertClampSelectDelete() {
        update("INSERT INTO pipes_settings (name, length) VALUES ('p10', 10)");
        update("INSERT INTO pipes_settings (name, length) VALUES ('p10', 5000)");
        update("INSERT INTO pipes_settings (name) VALUES ('p12')");
        assertThat(rows("SELECT * FROM pipes_settings WHERE name IN ('p10', 'p12', 'nope')"))
                .containsExactly(List.of("p10", "99"), List.of("p12", "0"));
        update("INSERT INTO pipes_settings (name, length) VALUES ('p13', -5)");
        assertThat(rows("SELECT length FROM pipes_settings WHERE name = 'p13'")).containsExactly(List.of("0"));
        assertErr("INSERT INTO pipes_settings (length) VALUES (5)", 12, "field `name` is required");
        assertErr("INSERT INTO pipes_settings (name, length) VALUES ('a', 5)", 17, "Channel name is too short");
        update("INSERT INTO pipes_messages (name, event, message) VALUES ('p10', 'e', 'm')");
        await("rows(\"SELECT * FROM pipes_messages WHERE name = 'p10'\").size() == 1").until(() -> rows("SELECT * FROM pipes_messages WHERE name = 'p10'").size() == 1);
        assertThat(update("DELETE FROM pipes_settings WHERE name = 'p10'")).isEqualTo(QueryResult.Update.NONE);
        assertThat(rows("SELECT * FROM pipes_settings WHERE name = 'p10'")).isEmpty();
        await("rows(\"SELECT * FROM pipes_messages WHERE name = 'p10'\").isEmpty()").until(() -> rows("SELECT * FROM pipes_messages WHERE name = 'p10'").isEmpty());
    }

    // ---- users_auth

    @Test
    void usersAuthInsertSelectDeleteKicks() {
        assertThat(update("INSERT INTO users_auth (id, hash) VALUES (301, 'hash1')")).isEqualTo(new QueryResult.Update(1, 301));
        update("INSERT INTO users_auth (id, hash) VALUES (12, 'old')");
        update("INSERT INTO users_auth (id, hash) VALUES (12, 'hash12')");
        update("INSERT INTO users_auth (id, hash) VALUES (13, '')");
        assertThat(rows("SELECT * FROM users_auth WHERE id IN (2, 12, 301, 13, -1, 0)"))
                .containsExactly(List.of("12", "hash12"), List.of("301", "hash1"), List.of("13", ""));
        InProcessClient tab = engine.connectInProcess(ConnectRequest.user(0, 12, "hash12", "t"));
        assertThat(tab.session().isAuthorized()).isTrue();
        assertThat(update("DELETE FROM users_auth WHERE id = 12")).isEqualTo(QueryResult.Update.NONE);
        await("tab::isClosed").until(tab::isClosed);
        assertThat(rows("SELECT * FROM users_auth WHERE id = 12")).isEmpty();
        assertErr("INSERT INTO users_auth (id, hash) VALUES (0, 'abc')", 12, "The id field must be non-negative");
        assertErr("INSERT INTO users_auth (id, hash) VALUES (-5, 'abc')", 12, "The id field must be non-negative");
        assertErr("INSERT INTO users_auth (id, hash) VALUES (1234567890, 'abc')", 12, "The id field must have at most 9 digits");
        assertErr("INSERT INTO users_auth (hash) VALUES ('abc')", 12, "field `id` is required");
        assertErr("INSERT INTO users_auth (id) VALUES (5)", 12, "field `hash` is required");
        assertErr("INSERT INTO users_auth (id, hash) VALUES (5, 'a-b')", 12, "Contains an invalid characters in the string hash");
        assertErr("INSERT INTO users_auth (id, hash) VALUES (5, '" + "a".repeat(33) + "')", 11, "Hash string is too long");
        assertErr("SELECT * FROM users_auth", 13,
                "Selection without transferring the requested values of the primary key is not supported");
    }

    // ---- users_time

    @Test
    void usersTimeOnlineUnknownAndLastSeen() {
        engine.accounts().putAuthHash(0, 2, "h2").join();
        engine.accounts().putAuthHash(0, 3, "h3").join();
        InProcessClient two = engine.connectInProcess(ConnectRequest.user(0, 2, "h2", "t2"));
        InProcessClient three = engine.connectInProcess(ConnectRequest.user(0, 3, "h3", "t3"));
        three.disconnect();
        await("!rows(\"SELECT time FROM users_time WHERE id = 3\").get(0).get(0).equals(\"0\")").until(() -> !rows("SELECT time FROM users_time WHERE id = 3").get(0).get(0).equals("0"));
        List<List<String>> r = rows("SELECT * FROM users_time WHERE id IN (2, 3, 145, 0)");
        assertThat(r.get(0)).isEqualTo(List.of("2", "0"));
        assertThat(Long.parseLong(r.get(1).get(1))).isCloseTo(engine.nowSeconds(), org.assertj.core.data.Offset.offset(5L));
        assertThat(r.get(2)).isEqualTo(List.of("145", "-1"));
        assertThat(r.get(3)).isEqualTo(List.of("0", "-1"));
        assertErr("INSERT INTO users_time (id, time) VALUES (1, 1)", 10, "Table `users_time` is read only");
        two.disconnect();
    }

    // ---- users_messages

    @Test
    void usersMessagesDeliverOrQueue() {
        engine.accounts().putAuthHash(0, 2, "h2").join();
        InProcessClient tab = engine.connectInProcess(ConnectRequest.user(0, 2, "h2", "t"));
        assertThat(update("INSERT INTO users_messages (id, event, message) VALUES (2, 'evnt1', 'live')"))
                .isEqualTo(new QueryResult.Update(0, 2));
        Message m = tab.await(x -> x.pipe().equals("msg"), WAIT);
        assertThat(m.event()).isEqualTo("evnt1");
        assertThat(m.text()).isEqualTo("live");
        assertThat(update("INSERT INTO users_messages (id, index, event, message) VALUES (7, 0, 'e', 'queued')"))
                .isEqualTo(new QueryResult.Update(0, 7));
        assertThat(rows("SELECT * FROM users_messages WHERE id = 7")).containsExactly(List.of("7", "0", "e", "queued"));
        update("DELETE FROM users_messages WHERE id = 7");
        assertThat(rows("SELECT * FROM users_messages WHERE id = 7")).isEmpty();
        assertErr("INSERT INTO users_messages (id, event, message) VALUES ('-1', 'e', 'm')", 12, "The id field must be non-negative");
        assertErr("INSERT INTO users_messages (id, event) VALUES (1, 'e')", 12, "field `message` is required");
        update("INSERT INTO users_messages (id, event, message) VALUES (0, '', 'to user 0')");
        tab.disconnect();
    }

    // ---- users_data

    @Test
    void usersDataUpsertSelectDelete() {
        assertThat(update("INSERT INTO users_data (id, data) VALUES (5, '{\"name\":\"Olga\"}')")).isEqualTo(new QueryResult.Update(1, 5));
        update("INSERT INTO users_data (id, data) VALUES (5, 'v2')");
        assertThat(rows("SELECT * FROM users_data WHERE id IN (5, 6)")).containsExactly(List.of("5", "v2"));
        assertThat(update("DELETE FROM users_data WHERE id = 5")).isEqualTo(QueryResult.Update.NONE);
        assertThat(rows("SELECT * FROM users_data WHERE id = 5")).isEmpty();
        assertErr("INSERT INTO users_data (id, data) VALUES (0, 'x')", 12, "The id field must be non-negative");
    }

    // ---- revoked_tokens

    @Test
    void revokedTokensRevokeKicksSelectAllAndDeleteNeedsToken() {
        engine.accounts().putAuthHash(0, 9, "h9").join();
        String jwt = engine.accounts().signJwt(0, 9, engine.nowSeconds() + 3600);
        InProcessClient tab = engine.connectInProcess(ConnectRequest.user(0, 9, "h9", "t"));
        assertThat(update("INSERT INTO revoked_tokens (token) VALUES ('" + jwt + "')")).isEqualTo(new QueryResult.Update(1, 1));
        await("tab::isClosed").until(tab::isClosed);
        assertThat(rows("SELECT * FROM users_auth WHERE id = 9")).isEmpty();
        update("INSERT INTO revoked_tokens (token) VALUES ('not-a-jwt')");
        assertThat(rows("SELECT * FROM revoked_tokens")).containsExactlyInAnyOrder(List.of(jwt), List.of("not-a-jwt"));
        assertThat(rows("SELECT token FROM revoked_tokens WHERE token IN ('not-a-jwt', 'other')")).containsExactly(List.of("not-a-jwt"));
        assertErr("DELETE FROM revoked_tokens", 13,
                "Deleting without transferring the requested values of the primary key is not supported");
        update("DELETE FROM revoked_tokens WHERE token = 'not-a-jwt'");
        assertThat(rows("SELECT * FROM revoked_tokens")).containsExactly(List.of(jwt));
    }

    // ---- shared rules of §2.3

    @Test
    void sharedRules() {
        assertErr("SELECT * FROM Pipes WHERE name = 'x'", 15, "Table doesn't exist");
        for (String t : List.of("profiler", "conference", "dev_config", "log_query", "log_event")) {
            assertErr("SELECT * FROM " + t + " WHERE id = 1", 15, "Table doesn't exist");
        }
        assertErr("SELECT nme FROM pipes WHERE name = 'x'", 14, "Not a specific column");
        assertErr("SELECT name, name FROM pipes WHERE name = 'x'", 13, "Each column in the select used only once");
        assertErr("SELECT * FROM pipes WHERE name = 'a' OR name = 'b'", 13, "Each column in the conditions used only once");
        assertErr("SELECT * FROM pipes WHERE name = 'a' OR users = 1", 2, "Operator OR is not yet implemented");
        assertErr("SELECT * FROM pipes WHERE name = 'a' ORDER BY name", 2, "Token ORDER BY is not yet implemented");
        assertErr("SELECT * FROM pipes WHERE nme = 'a'", 14, "Not a specific column");
        StringBuilder cond = new StringBuilder("name = 'a'");
        for (int i = 0; i < 10; i++) {
            cond.append(" AND users = ").append(i);
        }
        assertErr("SELECT * FROM pipes WHERE " + cond, 18, "Too many conditions");
        StringBuilder in = new StringBuilder("'x0'");
        for (int i = 1; i <= 4000; i++) {
            in.append(",1");
        }
        assertErr("SELECT * FROM users_time WHERE id IN (" + in + ")", 19, "Too many values");
        String cols = String.join(", ", java.util.Collections.nCopies(21, "name"));
        assertErr("SELECT " + cols + " FROM pipes WHERE name = 'x'", 20, "Too many columns");
        assertErr("INSERT INTO pipes_messages (" + cols + ") VALUES (1)", 21, "Too many names");
        // LIMIT offset, count with MySQL semantics (the original's swapped numbers are not kept)
        assertThat(rows("SELECT name FROM pipes WHERE name IN ('p01', 'p02', 'p03', 'p04', 'p05') LIMIT 1, 3"))
                .containsExactly(List.of("p02"), List.of("p03"), List.of("p04"));
        assertThat(rows("SELECT name FROM pipes WHERE name IN ('p01', 'p02') LIMIT 1")).containsExactly(List.of("p01"));
        assertThat(rows("SELECT name FROM pipes WHERE name IN ('p01', 'p02') LIMIT 0")).isEmpty();
        // strict mode: > < LIKE on keys and non-key conditions are ERR 2
        CometQlExecutor strict = new CometQlExecutor(engine, CometQlConfig.builder().strict(true).build());
        assertThat(strict.run(s, "SELECT * FROM pipes WHERE name LIKE 'x'", false).join().get(0).error())
                .isEqualTo(new QlError(2, "Operator LIKE is not yet implemented"));
        assertThat(strict.run(s, "SELECT * FROM pipes WHERE name = 'web_x' AND users = 5", false).join().get(0).error())
                .isEqualTo(new QlError(2, "Conditions on column `users` are not yet implemented"));
    }

    // ---- system statements (§1.11, §3.10)

    @Test
    void systemStatements() {
        assertThat(rows("SHOW DATABASES")).containsExactly(List.of("CometQL_v1"));
        assertThat(rows("SHOW TABLES")).extracting(r -> r.get(0)).containsExactly("users_auth", "users_time",
                "users_messages", "pipes_messages", "users_in_pipes", "pipes", "pipes_settings", "users_data", "revoked_tokens");
        assertThat(rows("DESCRIBE users_auth")).containsExactly(List.of("id", "int(11)", "NO", "PRI", "", ""),
                List.of("hash", "varchar(32)", "NO", "", "", ""));
        assertThat(rows("SHOW COLUMNS FROM pipes")).extracting(r -> r.get(0)).containsExactly("name", "users");
        assertErr("SHOW COLUMNS FROM nope", 15, "Table doesn't exist");
        assertThat(rows("SHOW STATUS")).containsExactly(List.of("flag", "session"), List.of("id", "0"),
                List.of("user_online", "0"), List.of("server_online", "0"), List.of("messages", "0"));
        assertThat(rows("SHOW GLOBAL STATUS")).extracting(r -> r.get(0)).contains("flag", "uptime", "backend_online");
        assertThat(rows("SHOW VARIABLES LIKE 'max_allowed_packet'")).containsExactly(List.of("max_allowed_packet", "16777216"));
        assertThat(rows("SHOW SESSION VARIABLES LIKE 'lower%'")).containsExactly(List.of("lower_case_table_names", "0"));
        assertThat(rows("SHOW VARIABLES").size()).isGreaterThan(20);
        QueryResult.Rows v = (QueryResult.Rows) ok("SELECT @@session.auto_increment_increment AS auto_increment_increment, "
                + "@@max_allowed_packet, @@version_comment, @@no_such_variable LIMIT 1");
        assertThat(v.columns()).containsExactly("auto_increment_increment", "@@max_allowed_packet", "@@version_comment",
                "@@no_such_variable");
        assertThat(v.rows()).containsExactly(List.of("1", "16777216", engine.config().serverName(), ""));
        assertThat(rows("SELECT DATABASE(), USER(), CONNECTION_ID(), 1")).containsExactly(
                List.of("CometQL_v1", "root@127.0.0.1", "1", "1"));
        assertThat(update("SET NAMES utf8")).isEqualTo(QueryResult.Update.NONE);
        assertThat(update("SET autocommit=1")).isEqualTo(QueryResult.Update.NONE);
        assertThat(update("COMMIT")).isEqualTo(QueryResult.Update.NONE);
        assertThat(rows("SHOW COLLATION LIKE 'utf8mb4%'")).hasSize(1);
        assertThat(rows("SHOW CHARACTER SET")).hasSize(2);
        assertThat(rows("SHOW TABLE STATUS")).hasSize(9);
        assertThat(rows("SHOW WARNINGS")).isEmpty();
        assertThat(update("/* nothing */ ;")).isEqualTo(QueryResult.Update.NONE);
        update("USE db_4");
        assertThat(rows("SHOW STATUS")).contains(List.of("id", "4"));
        assertErr("USE wrongdb", 15, "Select database failure");
        assertErr("SELECT NOSUCH()", 3, "Syntax error in query");
    }
}
