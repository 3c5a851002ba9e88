package io.comet.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * [7] point 1, checked on the sources: no import cycle between comet-core's packages, the facade
 * stays small, and no main class of any module is over 400 lines (the bundled JS client aside).
 */
class ArchitectureTest {

    private static final Path CORE = Path.of("src/main/java/io/comet/core");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.comet\\.core(?:\\.[a-z]\\w*)*)\\.[A-Z]",
            Pattern.MULTILINE);
    /** A path into the steering folder beside the checkout, which a clone does not have. */
    private static final Pattern OUTSIDE = Pattern.compile("\\.\\./shared/|\\bshared/(spec|seed|ARCHITECTURE)");
    private static final Pattern QUALIFIED = Pattern.compile("\\b(io\\.comet\\.core(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static String packageOf(Path file) {
        return "io.comet.core" + CORE.relativize(file.getParent()).toString().replace('/', '.')
                .transform(p -> p.isEmpty() ? "" : "." + p);
    }

    @Test
    void corePackagesHaveNoImportCycle() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Path f : javaFiles(CORE)) {
            String pkg = packageOf(f);
            String src = Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            Set<String> to = deps.computeIfAbsent(pkg, k -> new HashSet<>());
            for (Matcher m : List.of(IMPORT.matcher(src), QUALIFIED.matcher(src))) {
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        assertThat(deps).containsKeys("io.comet.core.engine", "io.comet.core.broker", "io.comet.core.pipe",
                "io.comet.core.presence", "io.comet.core.history", "io.comet.core.privatemsg", "io.comet.core.session",
                "io.comet.core.auth", "io.comet.core.context");
        List<String> cycles = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        for (String p : deps.keySet()) {
            visit(p, deps, state, new ArrayList<>(), cycles);
        }
        assertThat(cycles).as("import cycles between core packages").isEmpty();
    }

    private static void visit(String p, Map<String, Set<String>> deps, Map<String, Integer> state, List<String> path,
                              List<String> cycles) {
        Integer st = state.get(p);
        if (st != null && st == 2) {
            return;
        }
        if (st != null && st == 1) {
            cycles.add(String.join(" -> ", path.subList(path.indexOf(p), path.size())) + " -> " + p);
            return;
        }
        state.put(p, 1);
        path.add(p);
        for (String q : deps.getOrDefault(p, Set.of())) {
            visit(q, deps, state, path, cycles);
        }
        path.remove(path.size() - 1);
        state.put(p, 2);
    }

    @Test
    void theEngineFacadeStaysAFacade() throws IOException {
        assertThat(Files.readAllLines(CORE.resolve("engine/CometEngine.java"))).hasSizeLessThanOrEqualTo(250);
    }

    @Test
    void noMainClassOfAnyModuleIsOver400Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path m : modules.toList()) {
                Path main = m.resolve("src/main/java");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                for (Path f : javaFiles(main)) {
                    int n = Files.readAllLines(f).size();
                    if (n > 400) {
                        tooLong.add(f + " (" + n + ")");
                    }
                }
            }
        }
        assertThat(tooLong).isEmpty();
    }

    @Test
    void theDocsLiveInTheRepoAndNothingPointsOutsideIt() throws IOException {
        Path root = Path.of("..");
        for (String doc : List.of("docs/client-protocol.md", "docs/cometql.md", "docs/architecture.md")) {
            assertThat(root.resolve(doc)).isRegularFile();
        }
        List<String> outside = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(([^)#:]+)(?:#[^)]*)?\\)");
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                String name = f.toString();
                if (name.contains("/target/") || name.contains("node_modules") || name.contains("/.git/")
                        || !name.matches(".*\\.(java|md|js|mjs|ts|xml|sh|ini|html)$")) {
                    continue;
                }
                String text = Files.readString(f);
                if (OUTSIDE.matcher(text).find() && !f.endsWith("ArchitectureTest.java")) {
                    outside.add(name);
                }
                if (name.endsWith(".md")) {
                    Matcher m = link.matcher(text);
                    while (m.find()) {
                        if (!Files.exists(f.getParent().resolve(m.group(1)))) {
                            outside.add(name + " -> " + m.group(1) + " (broken link)");
                        }
                    }
                }
            }
        }
        assertThat(outside).isEmpty();
    }
}
