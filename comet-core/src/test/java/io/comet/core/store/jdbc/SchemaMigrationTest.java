package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.StoreException;
import io.comet.core.store.HistoryEntry;
import io.comet.core.store.QueuedMessage;
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
        assertThat(Schema.LATEST).isGreaterThanOrEqualTo(2);
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
        assertThat(versions()).containsExactly(1, 2);
        assertThat(indexes("comet_pipe_messages")).contains("comet_pipe_messages_id", "comet_pipe_messages_time");
        try (JdbcStore store = JdbcStore.open(config)) { // opening again changes nothing
            assertThat(store.authHash(1, 1).get()).contains("h");
        }
        assertThat(versions()).containsExactly(1, 2);
    }

    @Test
    void aVersion1DatabaseIsMigratedToTheLatestVersionKeepingItsData() throws Exception {
        try (JdbcStore v1 = JdbcStore.open(config, 1)) { // what the first release created
            v1.enqueue(1, 5, new QueuedMessage("q1", 100, "e", "kept"), 10).get();
            v1.appendHistory(1, "ep", new HistoryEntry("h1", 100, "trust_x", "e", "kept", 0, 1), 0).get();
        }
        assertThat(versions()).containsExactly(1);
        assertThat(indexes("comet_pipe_messages")).doesNotContain("comet_pipe_messages_id");

        try (JdbcStore latest = JdbcStore.open(config)) {
            assertThat(latest.queued(1, 5, 10).get()).extracting(QueuedMessage::id).containsExactly("q1");
            assertThat(latest.history(1, "trust_x", 10).get()).extracting(HistoryEntry::id).containsExactly("h1");
            latest.deleteHistoryEntry(1, "h1").get(); // uses the V2 index
            assertThat(latest.history(1, "trust_x", 10).get()).isEmpty();
        }
        assertThat(versions()).containsExactly(1, 2);
        assertThat(indexes("comet_pipe_messages")).contains("comet_pipe_messages_id", "comet_pipe_messages_time");
        assertThat(indexes("comet_users_messages")).contains("comet_users_messages_time");
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
        assertThat(versions()).containsExactly(1, 2, newer);
    }
}
