package io.comet.bench;

import io.comet.test.client.FuzzInputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The fuzzing scenario of issue 13 point 7: random and mutated WebSocket frames and MySQL packets
 * (half each) thrown at a running server over real sockets, as fast as it takes them: a
 * connection carries inputs until the server closes it, then another one is opened. At the end
 * the server must still serve (a WebSocket upgrade answers 101, a CometQL login answers OK), and
 * its live heap and RSS are compared with the start. {@code smoke} runs 2,000 inputs, {@code
 * quick} 100,000, {@code full} 1,000,000 ({@code -Dcomet.bench.fuzzInputs=N} overrides).
 */
final class Fuzz {

    private static final String[] COMMANDS = {"subscription\nweb_fuzz", "pipe_log\nweb_fuzz", "user_data\n1",
        "web_pipe_send\nweb_fuzz\nev\n{\"a\":1}", "track_pipe_users\ntrack_fuzz", "pipe_count\nweb_fuzz", "statistics\n{}",
        "unsubscription\nweb_fuzz", "\u0000\u0001", "x".repeat(300)};
    private static final String[] QUERIES = {"SHOW TABLES", "SELECT * FROM pipes WHERE name = 'web_fuzz'",
        "INSERT INTO pipes_messages (name, event, message) VALUES ('web_fuzz', 'e', 'm')", "SHOW GLOBAL STATUS",
        "SELECT * FROM users_time WHERE id IN (1,2,3)", "SET NAMES utf8mb4", "SELECT @@version_comment LIMIT 1"};

    private final Target target;
    private final SplittableRandom rnd;
    long connections;
    long closedByServer;

    Fuzz(Target target, long seed) {
        this.target = target;
        this.rnd = new SplittableRandom(seed);
    }

    static int inputs(Profile p) {
        int def = switch (p.name()) {
            case "smoke" -> 2_000;
            case "full" -> 1_000_000;
            default -> 100_000;
        };
        return Integer.getInteger("comet.bench.fuzzInputs", def);
    }

    /** Throws {@code n} inputs (half WebSocket frames, half MySQL packets) at the target. */
    void run(int n) throws IOException {
        int ws = n / 2;
        webSocket(ws);
        mysql(n - ws);
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket();
        SOCKET.set(s);
        s.connect(new InetSocketAddress(target.host(), port), 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        connections++;
        return s;
    }

    private void webSocket(int n) throws IOException {
        int done = 0;
        while (done < n) {
            try (Socket s = open(target.wsPort())) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(("GET /ws/sesion=x&myid=0&devid=" + target.devId() + "&v=4.08&uuid=fuzz" + connections
                        + "&api=js HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                readHead(in);
                while (done < n) {
                    int kind = rnd.nextInt(FuzzInputs.WS_KINDS);
                    byte[] input = FuzzInputs.wsFrame(rnd, kind, COMMANDS);
                    out.write(input);
                    done++;
                    if (FuzzInputs.wsProbe(s, FuzzInputs.wsComplete(kind, input))) {
                        closedByServer++;
                        break;
                    }
                }
            } catch (IOException e) {
                closedByServer++; // reset by the server while writing
                done++;
            }
        }
    }

    private void mysql(int n) throws IOException {
        int done = 0;
        while (done < n) {
            try (Socket s = open(target.cqlPort())) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] greeting = readPacket(in);
                boolean login = rnd.nextInt(4) != 0;
                if (login) { // log in properly, then fuzz commands
                    out.write(handshakeResponse("root", target.password(), seed(greeting), rnd.nextBoolean()
                            ? "CometQL_v1" : null));
                    readPacket(in);
                } else { // a mutated or random handshake response
                    byte[] r = handshakeResponse("root", "guess", seed(greeting), null);
                    r[4 + rnd.nextInt(r.length - 4)] = (byte) rnd.nextInt(256);
                    out.write(r);
                    done++;
                    continue;
                }
                while (done < n) {
                    out.write(FuzzInputs.mysqlPacket(rnd, QUERIES));
                    done++;
                    if (drainClosed(in)) {
                        closedByServer++;
                        break;
                    }
                }
            } catch (IOException e) {
                closedByServer++;
                done++;
            }
        }
    }

    /** The 20-byte scramble of a CometQL greeting (protocol 10: version, id, 8 + 12 bytes of seed). */
    private static byte[] seed(byte[] g) {
        int i = 1;
        while (g[i] != 0) {
            i++;
        }
        i += 1 + 4;
        byte[] seed = new byte[20];
        System.arraycopy(g, i, seed, 0, 8);
        i += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
        System.arraycopy(g, i, seed, 8, 12);
        return seed;
    }

    /** A HandshakeResponse41 frame (sequence id 1) with mysql_native_password. */
    private static byte[] handshakeResponse(String user, String password, byte[] seed, String db) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int caps = 1 | 512 | 8192 | 32768 | (1 << 19) | (db != null ? 8 : 0);
        b.writeBytes(new byte[] {(byte) caps, (byte) (caps >> 8), (byte) (caps >> 16), (byte) (caps >> 24), 0, 0, 0, 1, 33});
        b.writeBytes(new byte[23]);
        b.writeBytes(user.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        byte[] auth = RawQlSession.scramble(password, seed);
        b.write(auth.length);
        b.writeBytes(auth);
        if (db != null) {
            b.writeBytes(db.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.writeBytes("mysql_native_password".getBytes(StandardCharsets.US_ASCII));
        b.write(0);
        byte[] body = b.toByteArray();
        byte[] f = new byte[4 + body.length];
        f[0] = (byte) body.length;
        f[1] = (byte) (body.length >> 8);
        f[3] = 1;
        System.arraycopy(body, 0, f, 4, body.length);
        return f;
    }

    private static void readHead(InputStream in) throws IOException {
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the 101");
            }
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    private static byte[] readPacket(InputStream in) throws IOException {
        byte[] h = in.readNBytes(4);
        if (h.length < 4) {
            throw new IOException("closed");
        }
        int len = (h[0] & 0xFF) | (h[1] & 0xFF) << 8 | (h[2] & 0xFF) << 16;
        return in.readNBytes(len);
    }

    /** Reads what the server sent so far without waiting; true when it closed the connection. */
    private static boolean drainClosed(InputStream in) throws IOException {
        if (in.available() == 0) {
            return false; // nothing came back: the server took the input silently
        }
        byte[] b = new byte[8192];
        while (in.available() > 0) {
            if (in.read(b, 0, Math.min(b.length, in.available())) < 0) {
                return true;
            }
        }
        // it answered (an error, a Close frame, a reply): closed right after it?
        java.net.Socket s = SOCKET.get();
        int old = s.getSoTimeout();
        s.setSoTimeout(20);
        try {
            int r = in.read(b);
            return r < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } finally {
            s.setSoTimeout(old);
        }
    }


    /** The socket being fuzzed (for the short read of {@code drainClosed}). */
    private static final ThreadLocal<java.net.Socket> SOCKET = new ThreadLocal<>();
}
