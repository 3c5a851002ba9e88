package io.comet.test.client;

import io.comet.core.json.Json;
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
import java.util.function.Supplier;

/**
 * A raw-socket WebSocket client that behaves like the original {@code CometServerApi.js} v4 on the
 * wire (docs/client-protocol.md §1.3–§2: path parameters, masked text frames, one command per
 * frame) and records everything the server sends: frames (to see that no Close frame came), JSON
 * messages (each frame split on {@code \n} like the client does) and the TCP end of stream.
 *
 * <pre>{@code
 * try (CometWsClient c = CometWsClient.open(port, ClientPaths.v4(0, "", "0123456789abcdefghijklmnopqrstuv"))) {
 *     c.subscribe("web_chat");
 *     Map<String, Object> m = c.await("web_chat", "message");   // 10 s, then AssertionError
 * }
 * }</pre>
 *
 * Blocking reads run on one daemon thread per client; every {@code await…} fails with an
 * {@link AssertionError} naming what arrived instead. Thread-safe.
 */
public final class CometWsClient implements AutoCloseable {

    /** The {@code Sec-WebSocket-Key} sent (RFC 6455's sample nonce). */
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** The default deadline of the {@code await…} methods without one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final String handshake;
    private final InputStream in;
    private final OutputStream out;
    private final List<WsFrame> frames = new ArrayList<>();
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private boolean eof;

    private CometWsClient(Socket socket, String handshake, InputStream in) throws IOException {
        this.socket = socket;
        this.handshake = handshake;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to 127.0.0.1 and upgrades.
     *
     * @param port the server's port
     * @param path the request path, see {@link ClientPaths}
     * @return the connected client, reading
     * @throws IOException if the connection or the handshake fails
     */
    public static CometWsClient open(int port, String path) throws IOException {
        return open(port, path, "", true, 0);
    }

    /**
     * Connects and upgrades; with {@code read=false} (or an answer other than 101) nothing is read after the head.
     *
     * @param port          the server's port
     * @param path          the request path
     * @param extraHeaders  header lines, each ending in {@code \r\n} (e.g. {@code "Origin: http://x\r\n"}), or {@code ""}
     * @param read          whether a reader thread consumes what the server sends
     * @param receiveBuffer {@code SO_RCVBUF} in bytes, 0 for the system default
     * @return the connected client
     * @throws IOException if the connection or the handshake fails
     */
    public static CometWsClient open(int port, String path, String extraHeaders, boolean read, int receiveBuffer)
            throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        String head = WsFrame.handshake(s.getOutputStream(), in, "127.0.0.1:" + port, path, KEY, extraHeaders);
        CometWsClient c = new CometWsClient(s, head, in);
        if (read && head.startsWith("HTTP/1.1 101")) { // else what follows is an HTTP body, not frames
            c.startReader();
        }
        return c;
    }

    private void startReader() {
        Thread reader = new Thread(this::readLoop, "comet-ws-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        try {
            socket.setSoTimeout(0);
            for (WsFrame f = WsFrame.read(in); f != null; f = WsFrame.read(in)) {
                synchronized (this) {
                    frames.add(f);
                    if (f.opcode() == WsFrame.TEXT) {
                        for (String line : f.text().trim().split("\n")) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> m = (Map<String, Object>) Json.parse(line);
                            messages.add(m);
                        }
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // reset by peer, or cut mid-frame: the end of the stream
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    /** {@return the server's handshake response (status line and headers)} */
    public String handshake() {
        return handshake;
    }

    /** {@return the socket, e.g. to shut down one direction} */
    public Socket socket() {
        return socket;
    }

    // ---- sending (masked, like a browser)

    /**
     * Sends one command as one masked text frame.
     *
     * @param text the command text, e.g. {@code "subscription\nweb_chat"}
     * @throws IOException if the write fails
     */
    public void send(String text) throws IOException {
        sendFrame(1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code subscription}: the complete set of pipes of this connection (client-protocol §2.3).
     *
     * @param pipes the pipe names
     * @throws IOException if the write fails
     */
    public void subscribe(String... pipes) throws IOException {
        send("subscription\n" + String.join("\n", pipes));
    }

    /**
     * Publishes from the browser: {@code web_pipe2} (client-protocol §2.4).
     *
     * @param pipe  a {@code web_*} pipe
     * @param event the event name
     * @param json  the message as the client sends it, {@code JSON.stringify(msg)}
     * @throws IOException if the write fails
     */
    public void webPublish(String pipe, String event, String json) throws IOException {
        send("web_pipe2\n" + pipe + "\n" + event + "\n*\n" + json);
    }

    /**
     * Sends one masked frame.
     *
     * @param opcode  the opcode
     * @param fin     the FIN bit
     * @param payload the payload (masked here)
     * @throws IOException if the write fails
     */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(WsFrame.masked(opcode, fin, payload));
        out.flush();
    }

    /**
     * Writes bytes as they are (broken frames, partial handshakes).
     *
     * @param bytes the bytes
     * @throws IOException if the write fails
     */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    // ---- observing

    /** {@return the JSON messages received so far, in order} */
    public synchronized List<Map<String, Object>> messages() {
        return List.copyOf(messages);
    }

    /** {@return the frames received so far, in order} */
    public synchronized List<WsFrame> frames() {
        return List.copyOf(frames);
    }

    /** {@return whether the server ended the TCP stream (or reset it)} */
    public synchronized boolean isEof() {
        return eof;
    }

    /**
     * The first received message matching {@code p}, waiting up to {@code timeout}.
     *
     * @param p       what the message must satisfy
     * @param timeout the deadline
     * @return the message
     * @throws AssertionError if none arrived in time
     */
    public synchronized Map<String, Object> await(Predicate<Map<String, Object>> p, Duration timeout) {
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

    /**
     * Waits up to {@link #DEFAULT_TIMEOUT} for a message on {@code pipe} (and {@code event}, if not null).
     *
     * @param pipe  the pipe name ({@code msg} for private messages, {@code sys} for errors)
     * @param event the event name, or null for any
     * @return the message
     * @throws AssertionError if none arrived in time
     */
    public Map<String, Object> await(String pipe, String event) {
        return await(pipe, event, DEFAULT_TIMEOUT);
    }

    /**
     * Waits for a message on {@code pipe} (and {@code event}, if not null).
     *
     * @param pipe    the pipe name
     * @param event   the event name, or null for any
     * @param timeout the deadline
     * @return the message
     * @throws AssertionError if none arrived in time
     */
    public Map<String, Object> await(String pipe, String event, Duration timeout) {
        return await(m -> pipe.equals(m.get("pipe")) && (event == null || event.equals(m.get("event"))), timeout);
    }

    /**
     * Waits for a message on {@code pipe} with {@code event} and returns its {@code data}.
     *
     * @param pipe  the pipe name
     * @param event the event name
     * @return the message's {@code data}: a string, or the parsed object or array
     * @throws AssertionError if none arrived within {@link #DEFAULT_TIMEOUT}
     */
    public Object awaitData(String pipe, String event) {
        return await(pipe, event).get("data");
    }

    /**
     * Waits for a received text line (a text frame split on {@code \n}, as the client splits it)
     * containing {@code needle}: for assertions on the exact wire text.
     *
     * @param needle what the line contains, e.g. {@code "\"pipe\":\"web_chat\""}
     * @return the first such line, as received
     * @throws AssertionError if none arrived within {@link #DEFAULT_TIMEOUT}
     */
    public synchronized String awaitLine(String needle) {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            for (WsFrame f : frames) {
                for (String line : f.opcode() == WsFrame.TEXT ? f.text().trim().split("\n") : new String[0]) {
                    if (line.contains(needle)) {
                        return line;
                    }
                }
            }
            waitUntil(deadline, () -> "no line containing " + needle + "; got " + messages + (eof ? " (EOF)" : ""));
        }
    }

    /**
     * Waits until {@code n} messages match; returns them.
     *
     * @param p       what the messages must satisfy
     * @param n       how many
     * @param timeout the deadline
     * @return the matching messages (at least {@code n})
     * @throws AssertionError if fewer arrived in time
     */
    public synchronized List<Map<String, Object>> awaitCount(Predicate<Map<String, Object>> p, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Map<String, Object>> got = messages.stream().filter(p).toList();
            if (got.size() >= n) {
                return got;
            }
            waitUntil(deadline, () -> "expected " + n + ", got " + got.size() + (eof ? " (EOF)" : ""));
        }
    }

    /** {@return how many messages were received so far (all pipes)} */
    public synchronized int size() {
        return messages.size();
    }

    /**
     * Waits until at least {@code n} messages (all pipes) arrived; cheap enough to call per message.
     *
     * @param n       how many
     * @param timeout the deadline
     * @throws AssertionError if fewer arrived in time
     */
    public synchronized void awaitSize(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < n) {
            waitUntil(deadline, () -> "expected " + n + " messages, got " + messages.size() + (eof ? " (EOF)" : ""));
        }
    }

    /**
     * Without a reader thread: reads (and drops) bytes until the TCP end of stream or a reset.
     *
     * @param timeout the read timeout
     * @throws IOException on a read timeout ({@link java.net.SocketTimeoutException}) or another failure
     */
    public void awaitEofRaw(Duration timeout) throws IOException {
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

    /**
     * Closes with a TCP reset (SO_LINGER 0), as a crashed or killed client does.
     *
     * @throws IOException if the close fails
     */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /**
     * Waits for the TCP end of stream.
     *
     * @param timeout the deadline
     * @throws AssertionError if the connection is still open then
     */
    public synchronized void awaitEof(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            waitUntil(deadline, () -> "connection still open; frames " + frames.size());
        }
    }

    private void waitUntil(long deadline, Supplier<String> what) {
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

    /**
     * Counts the received frames with an opcode.
     *
     * @param opcode the opcode (8 = Close)
     * @return how many
     */
    public synchronized long count(int opcode) {
        return frames.stream().filter(f -> f.opcode() == opcode).count();
    }

    /** Closes the TCP connection (without a Close frame, as a browser's tab that goes away). */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
