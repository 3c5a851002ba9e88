package io.comet.core.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JdbcStoreConfigTest {

    @Test
    void defaultsAreAnEmbeddedH2FileUnderData() {
        JdbcStoreConfig c = JdbcStoreConfig.DEFAULT;
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:h2:file:./data/comet;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(c.user()).isEmpty();
        assertThat(c.password()).isEmpty();
        assertThat(c.poolSize()).isEqualTo(4);
        assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.operationTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.writeBatchSize()).isEqualTo(256);
        assertThat(c.maxBatchDelay()).isZero();
        assertThat(c.connectionAttempts()).isEqualTo(3);
        assertThat(c.connectionRetryDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Dialect.of(c.jdbcUrl())).isEqualTo(Dialect.H2);
    }

    @Test
    void mysqlFactoryBuildsAConnectorJUrl() {
        JdbcStoreConfig c = JdbcStoreConfig.mysql("db.local", 3307, "comet", "u", "secret");
        assertThat(c.jdbcUrl()).startsWith("jdbc:mysql://db.local:3307/comet?").contains("characterEncoding=UTF-8");
        assertThat(c.user()).isEqualTo("u");
        assertThat(c.password()).isEqualTo("secret");
        assertThat(Dialect.of(c.jdbcUrl())).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.MYSQL.connectionProperties(c))
                .containsEntry("user", "u")
                .containsEntry("password", "secret")
                .containsEntry("connectTimeout", "5000")
                .containsEntry("socketTimeout", "6000");
        assertThatThrownBy(() -> JdbcStoreConfig.mysql("h", 0, "d", "u", "p"))
                .hasMessage("port: 0 (expected: 1-65535)");
    }

    @Test
    void h2FileMakesRelativePathsExplicit() {
        assertThat(JdbcStoreConfig.h2File(Path.of("var", "comet")).jdbcUrl())
                .isEqualTo("jdbc:h2:file:./var/comet" + JdbcStoreConfig.H2_OPTIONS);
        assertThat(JdbcStoreConfig.h2File(Path.of("/srv/comet/db")).jdbcUrl())
                .isEqualTo("jdbc:h2:file:/srv/comet/db" + JdbcStoreConfig.H2_OPTIONS);
    }

    @Test
    void toBuilderCopiesAndToStringHidesThePassword() {
        JdbcStoreConfig c = JdbcStoreConfig.mysql("h", 3306, "d", "u", "secret").toBuilder()
                .poolSize(8).writeBatchSize(64).maxBatchDelay(Duration.ofMillis(2))
                .operationTimeout(Duration.ofSeconds(3)).property("useSSL", "false").build();
        JdbcStoreConfig copy = c.toBuilder().build();
        assertThat(copy.poolSize()).isEqualTo(8);
        assertThat(copy.writeBatchSize()).isEqualTo(64);
        assertThat(copy.maxBatchDelay()).isEqualTo(Duration.ofMillis(2));
        assertThat(copy.properties()).containsEntry("useSSL", "false");
        assertThat(c.toString()).contains("password=****", "poolSize=8").doesNotContain("secret");
    }

    @Test
    void badValuesAreRefusedWithTheSettingName() {
        assertThatThrownBy(() -> JdbcStoreConfig.builder().poolSize(1).build())
                .hasMessage("poolSize: 1 (expected: >= 2)");
        assertThatThrownBy(() -> JdbcStoreConfig.builder().writeBatchSize(0).build())
                .hasMessage("writeBatchSize: 0 (expected: >= 1)");
        assertThatThrownBy(() -> JdbcStoreConfig.builder().queryTimeout(Duration.ofMillis(10)).build())
                .hasMessageStartingWith("queryTimeout: ");
        assertThatThrownBy(() -> JdbcStoreConfig.builder().operationTimeout(Duration.ZERO).build())
                .hasMessageStartingWith("operationTimeout: ");
        assertThatThrownBy(() -> JdbcStoreConfig.builder().connectionAttempts(0).build())
                .hasMessage("connectionAttempts: 0 (expected: >= 1)");
        assertThatThrownBy(() -> JdbcStoreConfig.builder().jdbcUrl("jdbc:postgresql://h/d").build())
                .hasMessageContaining("jdbcUrl: jdbc:postgresql://h/d (expected: jdbc:h2:…, jdbc:mysql:… or jdbc:mariadb:…)");
    }
}
