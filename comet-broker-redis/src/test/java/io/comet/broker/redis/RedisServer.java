package io.comet.broker.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private {@code redis-server} (Debian's package, installed by {@code .ci/start-redis.sh}) on
 * an ephemeral port of 127.0.0.1, without persistence, that a test may stop, kill and restart.
 * When the binary is missing the test is skipped, or fails when {@code CI} is set. The binary
 * is {@code COMET_TEST_REDIS_SERVER} or {@code redis-server} on the PATH / in /usr/bin.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final String binary;
    private int port;
    private Process process;

    private RedisServer(String binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
    }

    /** Starts a server, or skips (fails in CI) the test when there is no redis-server. */
    public static RedisServer start() {
        String bin = System.getenv().getOrDefault("COMET_TEST_REDIS_SERVER", "");
        if (bin.isEmpty()) {
            for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, "redis-server"))) {
                    bin = Path.of(d, "redis-server").toString();
                    break;
                }
            }
        }
        if (bin.isEmpty() || !Files.isExecutable(Path.of(bin))) {
            String why = "redis-server is not installed (install it with .ci/start-redis.sh)";
            if (System.getenv("CI") != null) {
                fail(why + " — CI is set, so this is a failure");
            }
            Assumptions.abort(why + " — skipped because CI is not set");
        }
        try {
            RedisServer s = new RedisServer(bin, Files.createTempDirectory("comet-redis-"));
            s.port = freePort();
            s.launch();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--loglevel", "warning", "--enable-debug-command", "local"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                }
                try {
                    Thread.sleep(20); // polling a process start, not synchronising the test
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
        throw new IOException("redis-server did not listen on " + port + " within 10 s");
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server (SIGKILL: everything is lost, as it has no persistence). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts it again on the same port, empty. */
    public void restart() throws IOException {
        launch();
    }

    /** Runs {@code f} on a fresh connection (test set-up and fault injection). */
    public <T> T with(java.util.function.Function<RedisCommands<String, String>, T> f) {
        RedisClient c = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            return f.apply(conn.sync());
        } finally {
            c.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}
