package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GroupCommitTest} on an embedded H2 file, plus the optional batch delay. */
class H2GroupCommitTest extends GroupCommitTest {

    @TempDir
    Path dir;

    @Override
    JdbcStoreConfig config() {
        return TestDatabases.h2(dir);
    }

    @Test
    void maxBatchDelayGathersWritesIssuedWithinTheDelayIntoOneCommit() throws Exception {
        JdbcStoreConfig delayed = TestDatabases.h2(dir.resolve("delayed")).toBuilder()
                .maxBatchDelay(Duration.ofMillis(1000)).build();
        try (JdbcStore s = JdbcStore.open(delayed)) {
            long commits0 = s.commitCount();
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fs.add(s.putLastSeen(1, i, i)); // issued one after the other by one thread, within microseconds
            }
            for (CompletableFuture<Void> f : fs) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertThat(s.commitCount() - commits0).isEqualTo(1);
            assertThat(s.largestBatch()).isEqualTo(20);
        }
    }
}
