package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded {@code comet-server.jar} as a real process (failsafe, after {@code package}):
 * starts with a comet.ini and with no file at all, serves a WebSocket client, logs its
 * listeners, and stops cleanly on SIGTERM.
 */
class LauncherIT {

    private static final Pattern UP = Pattern.compile("Comet is up: HTTP/WebSocket on ([0-9.]+):(\\d+)");

    @TempDir
    Path tmp;

    /**
     * A running jar. Its output goes to a file (a pipe read concurrently loses the last lines
     * when the process exits, JDK ProcessPipeInputStream), and the file is scanned for lines.
     */
    private static final class Server {
        final Process process;
        final Path logFile;
        private int consumed;

        Server(List<String> args, Path dir) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-jar");
            cmd.add(jar().toString());
            cmd.addAll(args);
            logFile = Files.createTempFile(dir, "comet-server", ".log");
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
        }

        /** The next line (after the previous match) matching {@code p}, waiting up to {@code seconds}. */
        Matcher awaitLine(Pattern p, long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                for (int i = consumed; i < lines.size(); i++) {
                    Matcher m = p.matcher(lines.get(i));
                    if (m.find()) {
                        consumed = i + 1;
                        return m;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no line matching " + p + " in:\n" + log());
                }
                LockSupport.parkNanos(20_000_000); // polling a file with a deadline
            }
        }

        String log() throws Exception {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("comet.server.jar", "target/comet-server.jar"));
        assertThat(jar).as("the shaded jar built by `package`").exists();
        return jar;
    }

    /** Connects like the v4 client and returns the first message (serverInfo). */
    private static String firstMessage(int port) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/sesion=&myid=0&devid=0&v=4.08&uuid=launcherit&api=js"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                first.complete(data.toString());
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            ws.abort();
        }
    }

    private static void stopWithSigterm(Server s) throws Exception {
        s.process.destroy(); // SIGTERM
        assertThat(s.process.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        // 143 = 128 + SIGTERM: the JVM's status after running the shutdown hook
        assertThat(s.process.exitValue()).isIn(0, 143);
        s.awaitLine(Pattern.compile("Comet stopped"), 5);
    }

    @Test
    void startsFromCometIniServesWebSocketAndStopsOnSigterm() throws Exception {
        Path ini = tmp.resolve("comet.ini");
        Files.writeString(ini, """
                ; minimal comet.ini
                [main]
                password = it-secret
                [ws]
                ip = 127.0.0.1
                port = 0      ; any free port, logged below
                host = *
                [cometql]
                ip = 127.0.0.1
                port = 0
                """);
        Server s = new Server(List.of("--conf", ini.toString()), tmp);
        try {
            Matcher up = s.awaitLine(UP, 30);
            int port = Integer.parseInt(up.group(2));
            assertThat(up.group(1)).isEqualTo("127.0.0.1");
            s.awaitLine(Pattern.compile("CometQL \\(MySQL protocol\\) on 127\\.0\\.0\\.1:\\d+"), 5);
            assertThat(firstMessage(port)).contains("\"event\":\"serverInfo\"").contains("\"authorized\":false");
            assertThat(s.log()).doesNotContain("generated CometQL password");
            stopWithSigterm(s);
        } finally {
            s.process.destroyForcibly();
        }
    }

    @Test
    void startsWithNoFileAtAll() throws Exception {
        Server s = new Server(List.of("--ws-port", "0", "--cometql-port", "0"), tmp);
        try {
            Matcher up = s.awaitLine(UP, 30);
            assertThat(up.group(1)).isEqualTo("0.0.0.0");
            assertThat(s.log()).contains("no --conf given").contains("generated CometQL password")
                    .contains("store jdbc:h2:file:./data/comet");
            assertThat(tmp.resolve("data/comet.mv.db")).as("embedded H2 store under ./data").exists();
            assertThat(firstMessage(Integer.parseInt(up.group(2)))).contains("serverInfo");
            stopWithSigterm(s);
            assertThat(s.log().split("generated CometQL password", -1)).as("logged once").hasSize(2);
        } finally {
            s.process.destroyForcibly();
        }
    }

    @Test
    void badConfigFailsFastWithFileAndLine() throws Exception {
        Path ini = tmp.resolve("bad.ini");
        Files.writeString(ini, "[ws]\nport = eighty\n");
        Server s = new Server(List.of("--conf", ini.toString()), tmp);
        assertThat(s.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process.exitValue()).isEqualTo(2);
        s.awaitLine(Pattern.compile("bad\\.ini:2: port: 'eighty' is not a number"), 5);
    }
}
