package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A library leaves the logging backend to the application: nothing in comet-server's dependency
 * tree (compile, runtime and the test classpath built on them) brings Logback or a
 * {@code logback.xml}. The enforcer's bannedDependencies rule in the pom checks the same at build time.
 */
class NoLogbackTest {

    @Test
    void noLogbackOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("ch.qos.logback.classic.LoggerContext"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(getClass().getClassLoader().getResource("logback.xml")).isNull();
    }
}
