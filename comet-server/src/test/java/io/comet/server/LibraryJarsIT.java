package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * After {@code package} (failsafe): every library module's jar names its module
 * ({@code Automatic-Module-Name}, its top-level package) and has sources and javadoc jars beside it.
 * Reads the jars the reactor just built (comet-server depends on the others, so they are built first).
 */
class LibraryJarsIT {

    private static final Map<String, String> LIBRARIES = Map.of(
            "comet-core", "io.comet.core",
            "comet-tls", "io.comet.tls",
            "comet-transport-netty", "io.comet.transport",
            "comet-cometql", "io.comet.cometql",
            "comet-server", "io.comet.server",
            "comet-test-clients", "io.comet.test.client");

    @Test
    void eachLibraryJarHasAnAutomaticModuleNameAndSourcesAndJavadocJars() throws Exception {
        String version = System.getProperty("comet.version");
        Path root = Path.of(System.getProperty("comet.root"));
        assertThat(version).isNotBlank();
        for (Map.Entry<String, String> lib : LIBRARIES.entrySet()) {
            Path target = root.resolve(lib.getKey()).resolve("target");
            String base = lib.getKey() + "-" + version;
            Path jar = target.resolve(base + ".jar");
            assertThat(jar).as(lib.getKey() + " jar").exists();
            try (JarFile j = new JarFile(jar.toFile())) {
                assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).as(jar.toString())
                        .isEqualTo(lib.getValue());
                String pkg = lib.getValue().replace('.', '/') + "/";
                assertThat(j.stream().anyMatch(e -> e.getName().startsWith(pkg) && e.getName().endsWith(".class")))
                        .as(jar + " holds classes of package " + lib.getValue()).isTrue();
                assertThat(j.getEntry("logback.xml")).as(jar + " has no logback.xml").isNull();
            }
            for (String classifier : new String[] {"sources", "javadoc"}) {
                Path extra = target.resolve(base + "-" + classifier + ".jar");
                assertThat(extra).as(classifier + " jar of " + lib.getKey()).exists();
                assertThat(Files.size(extra)).isPositive();
            }
            try (JarFile javadoc = new JarFile(target.resolve(base + "-javadoc.jar").toFile())) {
                assertThat(javadoc.getEntry("index.html")).as("javadoc of " + lib.getKey()).isNotNull();
            }
        }
    }
}
