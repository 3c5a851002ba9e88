package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code io.comet:comet-bom} has the parent's version and manages every module of the build at
 * {@code ${project.version}}, except the two applications (examples, comet-bench) and itself.
 */
class BomTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theBomListsEveryLibraryModuleAtTheParentsVersion() throws Exception {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("comet-bom/pom.xml"));
        assertThat(first(bom, "<version>([^<]+)</version>")).isEqualTo(first(parent, "<version>([^<]+)</version>"));
        List<String> modules = all(parent, "<module>([^<]+)</module>");
        modules.removeAll(List.of("comet-bom", "examples", "comet-bench"));
        assertThat(modules).contains("comet-core", "comet-server", "comet-launcher");
        List<String> managed = all(bom, "<artifactId>(comet-[^<]+)</artifactId><version>\\$\\{project\\.version}</version>");
        assertThat(managed).containsExactlyInAnyOrderElementsOf(modules);
        assertThat(bom).doesNotContain("<parent>");
    }

    private static String first(String xml, String regex) {
        Matcher m = Pattern.compile(regex).matcher(xml.replaceAll("(?s)<parent>.*?</parent>", ""));
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static List<String> all(String xml, String regex) {
        Matcher m = Pattern.compile(regex).matcher(xml);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
