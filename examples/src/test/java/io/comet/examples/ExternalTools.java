package io.comet.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Command-line tools the tests run: present, or the test fails under CI and is skipped elsewhere. */
final class ExternalTools {

    private ExternalTools() {
    }

    static void require(String... tools) {
        for (String tool : tools) {
            if (!onPath(tool)) {
                String why = tool + " is not installed (.ci/test-env.sh installs it)";
                String ci = System.getenv("CI");
                if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
                    fail(why);
                }
                Assumptions.abort(why);
            }
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** {@code uname -n}, as the bash example prints it. */
    static String hostname() {
        try {
            Process p = new ProcessBuilder("uname", "-n").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
