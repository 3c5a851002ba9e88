package io.comet.transport;

import io.comet.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A raw-socket WebSocket client that behaves like the original CometServerApi.js on the wire
 * (path parameters, masked text frames, one command per frame) and records everything the
 * server sends: frames (to see that no Close frame came), JSON messages (each frame split on
 * {@code \n} like the client does) and the TCP end of stream.
 */
final class RawWsClient implements AutoCloseable {

    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** One received frame. */
    record Frame(int opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    final String handshake;
    private final InputStream in;
    private final OutputStream out;
    private final List<Frame> frames = new ArrayList<>();
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private boolean eof;
    private Thread reader;

    private RawWsClient(Socket socket, String handshake, InputStream in) throws IOException {
        this.socket = socket;
        this.handshake = handshake;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** The URL the v4 client opens: {@code /ws/sesion=..&myid=..&devid=..&v=..&uuid=..&api=js}. */
    static String path(String prefix, String key, Object userId, int devId, String version, String uuid) {
        return prefix + "/ws/sesion=" + key + "&myid=" + userId + "&devid=" + devId + "&v=" + version + "&uuid=" + uuid
                + "&api=js";
    }

    static RawWsClient open(int port, String path) throws IOException {
        return open(port, path, "", true, 0);
    }

    static RawWsClient open(int port, String path, String extraHeaders) throws IOException {
        return open(port, path, extraHeaders, true, 0);
    }

    /** Connects and upgrades; with {@code read=false} nothing is read after the 101 (a stalled consumer). */
    static RawWsClient open(int port, String path, String extraHeaders, boolean read, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders
                + "\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during handshake: " + head);
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        RawWsClient c = new RawWsClient(s, head.toString(StandardCharsets.ISO_8859_1), in);
        if (read) {
            c.startReader();
        }
        return c;
    }

    private void startReader() {
        reader = new Thread(this::readLoop, "raw-ws-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        try {
            socket.setSoTimeout(0);
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                int b1 = readByte();
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = (readByte() << 8) | readByte();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | readByte();
                    }
                }
                if ((b1 & 0x80) != 0) {
                    throw new IOException("server frames must not be masked");
                }
                byte[] p = in.readNBytes((int) len);
                if (p.length != len) {
                    break;
                }
                Frame f = new Frame(b0 & 0x0F, (b0 & 0x80) != 0, p);
                synchronized (this) {
                    frames.add(f);
                    if (f.opcode() == 1) {
                        for (String line : f.text().trim().split("\n")) {
                            Object json = Json.parse(line);
                            @SuppressWarnings("unchecked")
                            Map<String, Object> m = (Map<String, Object>) json;
                            messages.add(m);
                        }
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // reset by peer counts as the end of the stream
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    // ---- sending (masked, like a browser)

    void send(String text) throws IOException {
        sendFrame(1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(frameBytes(opcode, fin, payload));
        out.flush();
    }

    /** A masked client frame. */
    static byte[] frameBytes(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        int len = payload.length;
        if (len < 126) {
            b.write(0x80 | len);
        } else if (len <= 0xFFFF) {
            b.write(0x80 | 126);
            b.write(len >>> 8);
            b.write(len & 0xFF);
        } else {
            b.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) len >>> (8 * i)) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        b.write(mask, 0, 4);
        for (int i = 0; i < len; i++) {
            b.write(payload[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    // ---- observing

    synchronized List<Map<String, Object>> messages() {
        return List.copyOf(messages);
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    synchronized boolean isEof() {
        return eof;
    }

    /** The first received message matching {@code p}, waiting up to {@code timeout}. */
    synchronized Map<String, Object> await(Predicate<Map<String, Object>> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map<String, Object> m : messages) {
                if (p.test(m)) {
                    return m;
                }
            }
            waitUntil(deadline, () -> "no matching message; got " + messages + (eof ? " (EOF)" : ""));
        }
    }

    /** Waits for a message on {@code pipe} (and {@code event}, if not null). */
    Map<String, Object> await(String pipe, String event) {
        return await(m -> pipe.equals(m.get("pipe")) && (event == null || event.equals(m.get("event"))),
                Duration.ofSeconds(5));
    }

    /** Waits until {@code n} messages match; returns them. */
    synchronized List<Map<String, Object>> awaitCount(Predicate<Map<String, Object>> p, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Map<String, Object>> got = messages.stream().filter(p).toList();
            if (got.size() >= n) {
                return got;
            }
            waitUntil(deadline, () -> "expected " + n + ", got " + got.size() + (eof ? " (EOF)" : ""));
        }
    }

    /** Messages received so far (all pipes). */
    synchronized int size() {
        return messages.size();
    }

    /** Waits until at least {@code n} messages (all pipes) arrived; cheap enough to call per message. */
    synchronized void awaitSize(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < n) {
            waitUntil(deadline, () -> "expected " + n + " messages, got " + messages.size() + (eof ? " (EOF)" : ""));
        }
    }

    /** Without a reader thread: reads (and drops) bytes until the TCP end of stream or a reset. */
    void awaitEofRaw(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        byte[] b = new byte[4096];
        try {
            while (in.read(b) >= 0) {
                // what the server sent before closing
            }
        } catch (java.net.SocketException e) {
            // reset: closed as well
        }
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a crashed or killed client does. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Waits for the TCP end of stream. */
    synchronized void awaitEof(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            waitUntil(deadline, () -> "connection still open; frames " + frames.size());
        }
    }

    private void waitUntil(long deadline, java.util.function.Supplier<String> what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError(new TimeoutException(what.get()));
        }
        try {
            wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Count of frames with the given opcode. */
    synchronized long count(int opcode) {
        return frames.stream().filter(f -> f.opcode() == opcode).count();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
