package io.comet.test.client;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a command-line tool, a browser, a database): present, or the
 * test fails under CI (environment variable {@code CI} set and not {@code false}) and is skipped
 * elsewhere, so that a developer's {@code mvn verify} without them stays green while CI proves
 * everything.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /** {@return whether the environment variable {@code CI} is set (and not {@code false})} */
    public static boolean underCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
    }

    /**
     * Fails under CI, skips elsewhere, unless {@code present}.
     *
     * @param present whether the prerequisite is there
     * @param why     what is missing and how to get it, e.g. {@code "mysql is not installed (.ci/test-env.sh installs it)"}
     * @throws AssertionError under CI when absent
     * @throws org.opentest4j.TestAbortedException elsewhere when absent
     */
    public static void require(boolean present, String why) {
        if (present) {
            return;
        }
        if (underCi()) {
            throw new AssertionError(why + " (CI is set, so this is a failure)");
        }
        Assumptions.abort(why + " (skipped because CI is not set)");
    }

    /**
     * Requires command-line tools on the {@code PATH} (see {@link #require}).
     *
     * @param tools the executables' names, e.g. {@code mysql}, {@code php}
     */
    public static void requireTools(String... tools) {
        for (String tool : tools) {
            require(onPath(tool) != null, tool + " is not installed (.ci/test-env.sh installs it)");
        }
    }

    /**
     * Finds an executable on the {@code PATH}.
     *
     * @param tool the executable's name
     * @return its path, or null
     */
    public static Path onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        return null;
    }
}
