package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root README's embedding example is complete: it compiles as it stands against comet-server. */
class ReadmeEmbeddingExampleTest {

    @Test
    void theEmbeddingExampleCompiles(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        int section = readme.indexOf("## Embedding");
        assertThat(section).as("README has an Embedding section").isPositive();
        Matcher m = Pattern.compile("(?s)```java\n(.*?)```").matcher(readme.substring(section));
        assertThat(m.find()).as("a java block in the Embedding section").isTrue();
        String source = m.group(1);
        assertThat(source).contains("CometServer.builder()").contains("public final class ChatApp");
        Path file = tmp.resolve("ChatApp.java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", tmp.toString(), "--release", "17"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file)).call();
        assertThat(ok).as(out.toString()).isTrue();
        assertThat(tmp.resolve("ChatApp.class")).exists();
    }
}
