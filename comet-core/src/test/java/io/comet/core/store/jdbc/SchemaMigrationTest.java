package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.comet.core.StoreException;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.QueuedMessage;
import io.comet.core.store.StreamPosition;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schema is created and versioned at start; an older database is migrated forward; a newer
 * one is refused with a clear message. On H2 and on MariaDB.
 */
abstract class SchemaMigrationTest {

    JdbcStoreConfig config;

    abstract JdbcStoreConfig emptyDatabase() throws Exception;

    @Test
    void everyMigrationHasAScriptForEveryDialect() {
        assertThat(Schema.LATEST).isGreaterThanOrEqualTo(3);
        for (Dialect d : Dialect.values()) {
            for (int v = 1; v <= Schema.LATEST; v++) {
                String name = Schema.MIGRATIONS.get(v - 1);
                assertThat(name).startsWith("V" + v + "__");
                assertThat(Schema.read(d.script(name))).as(d.script(name)).contains("CREATE");
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        config = emptyDatabase();
    }

    private List<Integer> versions() throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(config); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM comet_schema_version ORDER BY version")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private List<String> indexes(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(config)) {
            DatabaseMetaData md = c.getMetaData();
            for (String t : List.of(table, table.toUpperCase(Locale.ROOT))) {
                try (ResultSet rs = md.getIndexInfo(c.getCatalog(), null, t, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("INDEX_NAME") != null) {
                            out.add(rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void anEmptyDatabaseIsCreatedAtTheLatestVersion() throws Exception {
        try (JdbcStore store = JdbcStore.open(config)) {
            store.putAuthHash(1, 1, "h").get();
        }
        assertThat(versions()).containsExactly(1, 2, 3);
        assertThat(indexes("comet_pipe_messages")).contains("comet_pipe_messages_id", "comet_pipe_messages_time",
                "comet_pipe_messages_offset");
        try (JdbcStore store = JdbcStore.open(config)) { // opening again changes nothing
            assertThat(store.authHash(1, 1).get()).contains("h");
        }
        assertThat(versions()).containsExactly(1, 2, 3);
    }

    @Test
    void aVersion1DatabaseIsMigratedToTheLatestVersionKeepingItsData() throws Exception {
        try (JdbcStore v1 = JdbcStore.open(config, 1)) { // what the first release created
            v1.enqueue(1, 5, new QueuedMessage("q1", 100, "e", "kept"), 10).get();
        }
        insertHistory(1, "trust_x", "h1"); // as the version-1 code wrote it
        assertThat(versions()).containsExactly(1);
        assertThat(indexes("comet_pipe_messages")).doesNotContain("comet_pipe_messages_id");

        try (JdbcStore latest = JdbcStore.open(config)) {
            assertThat(latest.queued(1, 5, 10).get()).extracting(QueuedMessage::id).containsExactly("q1");
            assertThat(latest.history(1, "trust_x", 10).get()).extracting(HistoryEntry::id).containsExactly("h1");
            latest.deleteHistoryEntry(1, "h1").get(); // uses the V2 index
            assertThat(latest.history(1, "trust_x", 10).get()).isEmpty();
        }
        assertThat(versions()).containsExactly(1, 2, 3);
        assertThat(indexes("comet_pipe_messages")).contains("comet_pipe_messages_id", "comet_pipe_messages_time");
        assertThat(indexes("comet_users_messages")).contains("comet_users_messages_time");
    }

    /** Inserts a history row without an offset, as versions 1 and 2 of the code did. */
    private void insertHistory(int devId, String pipe, String id) throws SQLException {
        try (Connection c = TestDatabases.connect(config); Statement s = c.createStatement()) {
            s.execute("INSERT INTO comet_pipe_messages (id, dev_id, pipe, stored_at, event, message, user_id)"
                    + " VALUES ('" + id + "', " + devId + ", '" + pipe + "', 100, 'e', 'text of " + id + "', 0)");
        }
    }

    @Test
    void aVersion2DatabaseGetsOffsetsInPublishOrderAndAStreamPerLoggedPipe() throws Exception {
        try (JdbcStore v2 = JdbcStore.open(config, 2)) {
            v2.putPipeSetting(1, "a", 10).get();
            v2.putPipeSetting(1, "set_but_empty", 10).get();
        }
        // ids out of order and pipes interleaved: the offsets must come from the seq order per pipe
        for (String[] row : List.of(new String[] {"1", "a", "z1"}, new String[] {"1", "b", "y1"},
                new String[] {"1", "a", "x2"}, new String[] {"2", "a", "w1"}, new String[] {"1", "b", "v2"},
                new String[] {"1", "a", "u3"}, new String[] {"1", "trust_t", "t1"})) {
            insertHistory(Integer.parseInt(row[0]), row[1], row[2]);
        }
        assertThat(versions()).containsExactly(1, 2);

        try (JdbcStore latest = JdbcStore.open(config)) {
            assertThat(latest.history(1, "a", 99).get()).extracting(HistoryEntry::id, HistoryEntry::offset)
                    .containsExactly(tuple("z1", 1L), tuple("x2", 2L), tuple("u3", 3L));
            assertThat(latest.history(1, "b", 99).get()).extracting(HistoryEntry::id, HistoryEntry::offset)
                    .containsExactly(tuple("y1", 1L), tuple("v2", 2L));
            assertThat(latest.history(2, "a", 99).get()).extracting(HistoryEntry::offset).containsExactly(1L);
            StreamPosition a = latest.stream(1, "a").get().orElseThrow();
            StreamPosition b = latest.stream(1, "b").get().orElseThrow();
            assertThat(a.offset()).isEqualTo(3);
            assertThat(b.offset()).isEqualTo(2);
            assertThat(latest.stream(2, "a").get()).hasValueSatisfying(p -> assertThat(p.offset()).isEqualTo(1));
            assertThat(latest.stream(1, "trust_t").get()).hasValueSatisfying(p -> assertThat(p.offset()).isEqualTo(1));
            assertThat(a.epoch()).isNotBlank().hasSizeLessThanOrEqualTo(StreamPosition.MAX_EPOCH_LENGTH);
            assertThat(a.epoch()).isNotEqualTo(b.epoch()); // freshly generated per pipe
            assertThat(latest.stream(1, "set_but_empty").get()).isEmpty(); // never logged: no stream

            // the stream continues where the migration left it
            latest.appendHistory(1, a.epoch(), new HistoryEntry("n4", 200, "a", "e", "new", 0, 4), 10).get();
            assertThat(latest.historySince(1, "a", 1, 99).get()).extracting(HistoryEntry::id).containsExactly("x2", "u3", "n4");
            assertThat(latest.stream(1, "a").get()).contains(new StreamPosition(a.epoch(), 4));
        }
        assertThat(versions()).containsExactly(1, 2, 3);
        assertThat(indexes("comet_pipe_messages")).contains("comet_pipe_messages_offset");
    }

    @Test
    void aDatabaseFromANewerVersionIsRefusedWithAClearMessage() throws Exception {
        try (JdbcStore store = JdbcStore.open(config)) {
            store.putUserData(1, 1, "untouched").get();
        }
        int newer = Schema.LATEST + 1;
        try (Connection c = TestDatabases.connect(config); Statement s = c.createStatement()) {
            s.execute("INSERT INTO comet_schema_version (version, description, applied_at) VALUES ("
                    + newer + ", 'V" + newer + "__from_the_future', 0)");
        }
        assertThatThrownBy(() -> JdbcStore.open(config))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Database schema version " + newer)
                .hasMessageContaining("is newer than this Comet supports (" + Schema.LATEST + ")")
                .hasMessageContaining("upgrade Comet")
                .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo(500));
        assertThat(versions()).containsExactly(1, 2, 3, newer);
    }
}
