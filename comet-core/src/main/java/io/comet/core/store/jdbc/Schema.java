package io.comet.core.store.jdbc;

import io.comet.core.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema: table {@code comet_schema_version} holds one row per applied version, and
 * forward-only scripts {@code io/comet/core/store/jdbc/<dialect>/V<n>__<name>.sql} bring a
 * database from any older version to {@link #LATEST}. A database at a newer version than this
 * code knows is refused. Scripts are never edited once released: a change is a new version.
 */
final class Schema {

    private static final Logger log = LoggerFactory.getLogger(Schema.class);

    /** Migration script names; version n is element n-1. Append only. */
    static final List<String> MIGRATIONS = List.of(
            "V1__init",
            "V2__lookup_indexes",
            "V3__history_streams");

    /** The schema version this code writes and reads. */
    static final int LATEST = MIGRATIONS.size();

    static final String VERSION_TABLE = "comet_schema_version";

    private Schema() {
    }

    /** The highest applied version, 0 for an empty database (creates the version table). */
    static int currentVersion(Handle h) {
        StoreThread.check();
        h.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE
                + " (version INT NOT NULL PRIMARY KEY, description VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)");
        return h.createQuery("SELECT MAX(version) FROM " + VERSION_TABLE)
                .mapTo(Integer.class).findOne().orElse(0);
    }

    /**
     * Brings the database to {@code target} (normally {@link #LATEST}) and returns the version it
     * was at. Fails with a {@link StoreException} when the database is newer than {@code target}.
     */
    static int migrate(Handle h, Dialect dialect, int target, String where) {
        int current = currentVersion(h);
        if (current > target) {
            throw new StoreException("Database schema version " + current + " of " + where
                    + " is newer than this Comet supports (" + target + "): upgrade Comet, or use another database", null);
        }
        for (int v = current + 1; v <= target; v++) {
            String name = MIGRATIONS.get(v - 1);
            log.info("migrating store schema of {} to version {} ({})", where, v, name);
            h.createScript(read(dialect.script(name))).execute();
            h.createUpdate("INSERT INTO " + VERSION_TABLE + " (version, description, applied_at) VALUES (:v, :d, :t)")
                    .bind("v", v)
                    .bind("d", name)
                    .bind("t", System.currentTimeMillis() / 1000)
                    .execute();
        }
        return current;
    }

    static String read(String resource) {
        try (InputStream in = Schema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
