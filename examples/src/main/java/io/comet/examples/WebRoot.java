package io.comet.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The examples' pages. They ship inside the jar under {@code io/comet/examples/web/} (listed in
 * {@code files.txt}); Comet serves static files from a folder ({@code [main] base_dir}), so
 * {@link #extract()} copies them into a fresh temporary folder, deleted again on JVM exit.
 */
public final class WebRoot {

    private static final String PREFIX = "io/comet/examples/web/";

    private WebRoot() {
    }

    /** {@return a new temporary folder holding a copy of the pages} */
    public static Path extract() {
        try {
            Path dir = Files.createTempDirectory("comet-examples-web");
            String list;
            try (InputStream in = resource("files.txt")) {
                list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String line : list.split("\n")) {
                String name = line.trim();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                Path target = dir.resolve(name).normalize();
                if (!target.startsWith(dir)) {
                    throw new IllegalStateException("files.txt: " + name + " (expected: a relative path)");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = resource(name)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "comet-examples-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = WebRoot.class.getClassLoader().getResourceAsStream(PREFIX + name);
        if (in == null) {
            throw new IOException("missing resource " + PREFIX + name);
        }
        return in;
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
