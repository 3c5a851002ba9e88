package io.comet.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's complete chat-backend test is the one that runs here. */
class ReadmeTest {

    @Test
    void theReadmesExampleIsChatBackendTest() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("(?s)```java\n(.*?)```").matcher(readme);
        assertThat(m.find()).as("a java block in the README").isTrue();
        assertThat(m.group(1)).isEqualTo(Files.readString(Path.of("src/test/java/io/comet/test/ChatBackendTest.java")));
    }
}
