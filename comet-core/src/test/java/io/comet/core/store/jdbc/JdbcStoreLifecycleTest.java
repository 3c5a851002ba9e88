package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.comet.core.StoreException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcStoreLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void anUnreachableDatabaseAtOpenFailsAfterTheConfiguredAttempts() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // closed again below: nothing listens there
        }
        JdbcStoreConfig config = JdbcStoreConfig.mysql("127.0.0.1", closedPort, "comet", "u", "p").toBuilder()
                .connectionAttempts(2).connectionRetryDelay(Duration.ofMillis(50)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> JdbcStore.open(config))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot connect to the store database jdbc:mysql://127.0.0.1:" + closedPort)
                .hasMessageContaining("after 2 attempt(s)");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(20);
    }

    @Test
    void theDefaultH2FileIsCreatedWithItsDirectory() {
        Path base = dir.resolve("nested/data/comet");
        try (JdbcStore store = JdbcStore.open(JdbcStoreConfig.h2File(base))) {
            assertThat(store.config().jdbcUrl()).contains("nested/data/comet");
        }
        assertThat(Files.exists(dir.resolve("nested/data/comet.mv.db"))).isTrue();
    }

    private static String permissions(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void anEmbeddedH2DatabaseIsPrivateToItsUser() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        String existingBefore = permissions(dir);
        Path data = dir.resolve("private/data");
        try (JdbcStore store = JdbcStore.open(JdbcStoreConfig.h2File(data.resolve("comet")))) {
            store.putAuthHash(1, 1, "h").get(10, TimeUnit.SECONDS);
            assertThat(permissions(data)).isEqualTo("rwx------");
            assertThat(permissions(dir.resolve("private"))).isEqualTo("rwx------"); // created parents too
            assertThat(permissions(data.resolve("comet.mv.db"))).isEqualTo("rw-------");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(data)) {
            files = list.toList();
        }
        assertThat(files).contains(data.resolve("comet.mv.db"));
        for (Path f : files) {
            assertThat(permissions(f)).as(f.toString()).isEqualTo("rw-------");
        }
        assertThat(permissions(dir)).as("an existing directory is left as it was").isEqualTo(existingBefore);
    }

    @Test
    void onlyEmbeddedH2FileUrlsHaveFiles() {
        assertThat(H2Files.of("jdbc:h2:mem:test")).isEmpty();
        assertThat(H2Files.of("jdbc:h2:tcp://127.0.0.1:9092/comet")).isEmpty();
        assertThat(H2Files.of("jdbc:mysql://127.0.0.1:3306/comet")).isEmpty();
        assertThat(H2Files.of("jdbc:h2:file:./data/comet;WRITE_DELAY=0")).hasValueSatisfying(f ->
                assertThat(f.directory()).isEqualTo(Path.of("data").toAbsolutePath()));
        assertThat(H2Files.of("jdbc:h2:/srv/comet/db")).hasValueSatisfying(f ->
                assertThat(f.directory()).isEqualTo(Path.of("/srv/comet")));
    }

    @Test
    void operationsAfterCloseFailWithAStoreException() throws Exception {
        JdbcStore store = JdbcStore.open(TestDatabases.h2(dir));
        store.putAuthHash(1, 1, "h").get(10, TimeUnit.SECONDS);
        store.close();
        store.close(); // idempotent
        for (var f : java.util.List.of(store.putAuthHash(1, 2, "x"), store.authHash(1, 1))) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StoreException.class).hasMessageContaining("Store is closed");
        }
    }

    @Test
    void closeFlushesPendingWrites() throws Exception {
        JdbcStore store = JdbcStore.open(TestDatabases.h2(dir));
        for (int i = 0; i < 500; i++) {
            store.appendHistory(1, "ep", new io.comet.core.store.HistoryEntry("h" + i, 1, "trust_x", "e", "t", 0, i + 1), 0);
            store.putLastSeen(1, i, 1000 + i);
        }
        store.close();
        try (JdbcStore again = JdbcStore.open(TestDatabases.h2(dir))) {
            assertThat(again.history(1, "trust_x", -1).get(10, TimeUnit.SECONDS)).hasSize(500);
            assertThat(again.lastSeen(1, 499).get(10, TimeUnit.SECONDS)).isEqualTo(1499L);
        }
    }
}
