package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code comet-server.jar} (failsafe) sets the JVM's free-heap ratios and G1 periodic
 * collection itself, and keeps a ratio given on its command line: both checked from outside with
 * {@code jcmd <pid> VM.flags -all}, as an operator would.
 */
class JvmMemoryTuningIT {

    /** {@code uintx MaxHeapFreeRatio = 30 {manageable} {management}}: name, value, origin. */
    private static final Pattern FLAG = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S*)\\s+\\{[^}]*}\\s+\\{([^}]*)}");

    @TempDir
    Path tmp;

    private record Flag(String value, String origin) {
        @Override
        public String toString() {
            return value + " {" + origin + "}";
        }
    }

    /** Every flag of the running JVM, as {@code jcmd <pid> VM.flags -all} prints it. */
    private Map<String, Flag> flags(Process p) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assertThat(jcmd).as("jcmd of the JDK running the tests").exists();
        Path out = tmp.resolve("jcmd-" + p.pid() + ".txt");
        Process j = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "VM.flags", "-all")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(j.waitFor(30, TimeUnit.SECONDS)).as("jcmd finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(j.exitValue()).as(text).isZero();
        Map<String, Flag> flags = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = FLAG.matcher(line);
            if (m.find()) {
                flags.put(m.group(1), new Flag(m.group(2), m.group(3)));
            }
        }
        assertThat(flags).as(text).containsKeys("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval", "UseG1GC");
        return flags;
    }

    private CompletableFuture<CometProcess> startAsync(String name, List<String> jvmOptions) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path ini = dir.resolve("comet.ini");
        Files.writeString(ini, "[main]\npassword = it-secret\n[ws]\nip = 127.0.0.1\nport = 0\n[cometql]\nip = 127.0.0.1\nport = 0\n");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return CometProcess.startWithJvmOptions(dir, ini, name, jvmOptions);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    @Test
    void theJarTunesTheHeapItselfAndACommandLineFlagWins() throws Exception {
        // both at once: two JVM starts overlap, the test takes about one start plus two jcmd runs
        CompletableFuture<CometProcess> plainStart = startAsync("plain", List.of());
        CompletableFuture<CometProcess> operatorStart = startAsync("operator", List.of("-XX:MaxHeapFreeRatio=50"));
        try (CometProcess plain = plainStart.get(90, TimeUnit.SECONDS);
             CometProcess operator = operatorStart.get(90, TimeUnit.SECONDS)) {
            Map<String, Flag> p = flags(plain.process);
            assertThat(p.get("MinHeapFreeRatio")).hasToString("10 {management}");
            assertThat(p.get("MaxHeapFreeRatio")).hasToString("20 {management}");
            boolean g1 = p.get("UseG1GC").value().equals("true");
            assertThat(p.get("G1PeriodicGCInterval")).hasToString(g1 ? "60000 {management}" : "0 {default}");
            assertThat(plain.log()).contains("JVM memory tuning: set MinHeapFreeRatio=10, MaxHeapFreeRatio=20"
                    + (g1 ? ", G1PeriodicGCInterval=60000" : "") + "; left as set by the operator: none");

            Map<String, Flag> o = flags(operator.process);
            assertThat(o.get("MaxHeapFreeRatio")).as("the operator's flag wins").hasToString("50 {command line}");
            assertThat(o.get("MinHeapFreeRatio")).hasToString("10 {management}");
            assertThat(operator.log()).contains("left as set by the operator: MaxHeapFreeRatio=50 (command line)")
                    .doesNotContain("JVM memory tuning: the JVM refused");
        } finally {
            plainStart.thenAccept(CometProcess::close);
            operatorStart.thenAccept(CometProcess::close);
        }
    }
}
