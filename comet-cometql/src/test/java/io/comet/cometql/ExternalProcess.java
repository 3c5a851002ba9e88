package io.comet.cometql;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external MySQL clients of the interop tests (mariadb CLI, php, node). */
final class ExternalProcess {

    /** Exit code and output of a finished process. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private ExternalProcess() {
    }

    /**
     * Fails when {@code tool} is not on the PATH under CI (env {@code CI} set); outside CI a
     * missing tool skips the test (run {@code .ci/install-cometql-clients.sh} to install them).
     */
    static void requireTool(String tool) {
        require(findOnPath(tool) != null, tool + " is not installed (run .ci/install-cometql-clients.sh)");
    }

    /** Same rule as {@link #requireTool} for any precondition (e.g. installed npm packages). */
    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError(what);
        }
        assumeTrue(false, what);
    }

    static Path findOnPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs {@code command} in {@code dir} feeding {@code stdin}; kills it after 60 s. */
    static Result run(List<String> command, String stdin, File dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir);
        }
        Path out = Files.createTempFile("cometql-out", ".txt");
        Path err = Files.createTempFile("cometql-err", ".txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        try {
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
