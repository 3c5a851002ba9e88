package io.comet.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** What the tests ask the machine (the tools themselves: {@code Prerequisites.requireTools} of the test kit). */
final class ExternalTools {

    private ExternalTools() {
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
