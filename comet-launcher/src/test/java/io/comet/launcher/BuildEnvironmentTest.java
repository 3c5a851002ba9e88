package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test environment (.ci/test-env.sh: apt-get, a root MariaDB, npm) is prepared by the test
 * command {@code mvn -B verify} only: {@code mvn package} and {@code mvn install} touch nothing
 * outside the repository. Runs the real {@code mvn} (non-recursive, offline) on a copy of the root
 * pom and {@code .ci/} in which test-env.sh is a stub that only leaves a marker file, so whatever
 * the pom binds, running test-env.sh shows.
 */
class BuildEnvironmentTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;
    private Path root;
    private Path marker;

    @BeforeEach
    void copyOfTheRootWithAStub() throws IOException {
        root = Files.createDirectories(tmp.resolve("repo"));
        marker = tmp.resolve("env-prepared");
        Files.copy(REPO.resolve("pom.xml"), root.resolve("pom.xml"));
        Path ci = Files.createDirectories(root.resolve(".ci"));
        try (var files = Files.list(REPO.resolve(".ci"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, ci.resolve(f.getFileName()));
            }
        }
        Files.writeString(ci.resolve("test-env.sh"), "#!/bin/sh\ntouch \"$COMET_TEST_ENV_MARKER\"\n",
                StandardCharsets.US_ASCII);
    }

    @Test
    void packageDoesNotPrepareTheEnvironment() throws Exception {
        assertThat(mvn("-DskipTests", "package")).isZero();
        assertThat(marker).doesNotExist();
        assertThat(mvn("package")).isZero();
        assertThat(marker).doesNotExist();
    }

    @Test
    void verifyPreparesIt() throws Exception {
        assertThat(mvn("verify")).isZero();
        assertThat(marker).exists();
    }

    @Test
    void verifyWithSkipDoesNot() throws Exception {
        assertThat(mvn("-Dcomet.env.skip=true", "verify")).isZero();
        assertThat(marker).doesNotExist();
    }

    /** {@code install} is not run here (it would overwrite the shared ~/.m2 snapshot): the guard itself. */
    @Test
    void guardRunsTheScriptForVerifyOnly() throws Exception {
        assertThat(guard("-B -q -DskipTests install")).isZero();
        assertThat(guard("-B clean package")).isZero();
        assertThat(guard("")).isZero();
        assertThat(marker).doesNotExist();
        assertThat(guard("-B clean verify -Dtest=Foo")).isZero();
        assertThat(marker).exists();
    }

    private int guard(String mavenArgs) throws Exception {
        return run(List.of("bash", root.resolve(".ci/test-env-for-verify.sh").toString()),
                Map.of("MAVEN_CMD_LINE_ARGS", mavenArgs));
    }

    private int mvn(String... goals) throws Exception {
        String home = System.getProperty("maven.home");
        List<String> cmd = new ArrayList<>();
        cmd.add(home == null || home.isEmpty() ? "mvn" : home + File.separator + "bin" + File.separator + "mvn");
        cmd.addAll(List.of("-B", "-q", "-o", "-N", "-f", root.resolve("pom.xml").toString()));
        cmd.addAll(List.of(goals));
        return run(cmd, Map.of());
    }

    private int run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.log").toFile());
        pb.environment().remove("MAVEN_CMD_LINE_ARGS");
        pb.environment().put("COMET_TEST_ENV_MARKER", marker.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish in 3 minutes");
        }
        if (p.exitValue() != 0) {
            System.err.println(Files.readString(tmp.resolve("out.log")));
        }
        return p.exitValue();
    }
}
