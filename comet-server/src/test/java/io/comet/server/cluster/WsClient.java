package io.comet.server.cluster;

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
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A raw-socket WebSocket client on the v4 browser URL, recording every JSON message (frames split
 * on {@code \n}) and the end of stream. The subset of the test kit's {@code CometWsClient}
 * (comet-test-clients, branch of issue 16) that the cluster tests use, with the same method names:
 * replace it by that class once both are on main.
 */
final class WsClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private boolean eof;

    private WsClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Connects as user {@code userId} (0 = anonymous) with {@code hash}, device {@code uuid} (32 chars). */
    static WsClient open(int port, long userId, String hash, String uuid) throws IOException {
        String path = "/ws/sesion=" + hash + "&myid=" + userId + "&devid=0&v=4.08&uuid=" + uuid + "&api=js";
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + head);
        }
        WsClient c = new WsClient(s);
        Thread t = new Thread(() -> c.readLoop(in), "ws-client-" + port + "-" + userId);
        t.setDaemon(true);
        t.start();
        return c;
    }

    /** A 32-character uuid made from {@code name}. */
    static String uuid(String name) {
        return (name + "00000000000000000000000000000000").substring(0, 32);
    }

    private void readLoop(InputStream in) {
        try {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                long len = in.read() & 0x7F;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | in.read();
                    }
                }
                byte[] payload = in.readNBytes((int) len);
                if (payload.length < len) {
                    break;
                }
                if ((b0 & 0x0F) == 1) {
                    List<Map<String, Object>> got = new ArrayList<>();
                    for (String line : new String(payload, StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> m = (Map<String, Object>) Json.parse(line.trim());
                            got.add(m);
                        }
                    }
                    synchronized (this) {
                        messages.addAll(got);
                        notifyAll();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a reset or a bad frame ends the stream
        }
        synchronized (this) {
            eof = true;
            notifyAll();
        }
    }

    /** Sends one masked text frame. */
    void send(String text) throws IOException {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        if (p.length < 126) {
            f.write(0x80 | p.length);
        } else {
            f.write(0x80 | 126);
            f.write(p.length >> 8);
            f.write(p.length & 0xFF);
        }
        byte[] mask = {1, 2, 3, 4};
        f.write(mask);
        for (int i = 0; i < p.length; i++) {
            f.write(p[i] ^ mask[i % 4]);
        }
        synchronized (out) {
            out.write(f.toByteArray());
            out.flush();
        }
    }

    /** {@code subscription} of these pipes (the whole set). */
    void subscribe(String... pipes) throws IOException {
        send("subscription\n" + String.join("\n", pipes));
    }

    synchronized List<Map<String, Object>> messages() {
        return List.copyOf(messages);
    }

    /** Messages on {@code pipe}, in order. */
    synchronized List<Map<String, Object>> on(String pipe) {
        return messages.stream().filter(m -> pipe.equals(m.get("pipe"))).toList();
    }

    /** Waits until {@code n} messages match; returns them. */
    synchronized List<Map<String, Object>> awaitCount(Predicate<Map<String, Object>> p, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Map<String, Object>> got = messages.stream().filter(p).toList();
            if (got.size() >= n) {
                return got;
            }
            waitUntil(deadline, () -> "expected " + n + " messages, got " + got.size() + (eof ? " (EOF)" : "") + ": "
                    + tail());
        }
    }

    /** The first message matching {@code p}. */
    Map<String, Object> await(Predicate<Map<String, Object>> p, Duration timeout) {
        return awaitCount(p, 1, timeout).get(0);
    }

    /** The first message on {@code pipe} with {@code event} (any event if null). */
    Map<String, Object> await(String pipe, String event) {
        return await(m -> pipe.equals(m.get("pipe")) && (event == null || event.equals(m.get("event"))),
                Duration.ofSeconds(10));
    }

    synchronized boolean isEof() {
        return eof;
    }

    /** Waits for the end of the stream (the server closed the connection). */
    synchronized void awaitEof(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            waitUntil(deadline, () -> "connection still open");
        }
    }

    private String tail() {
        int n = messages.size();
        return messages.subList(Math.max(0, n - 5), n).toString();
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

    /** Closes with a TCP reset, as a killed browser does. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
