package io.comet.launcher;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw-socket WebSocket client opening the URL the original v4 client opens. It records every
 * frame's opcode (to prove the server never sent a Close frame) and the JSON messages of text
 * frames (split on {@code \n} like the client), and notices the TCP end of stream.
 */
final class RawWs implements AutoCloseable {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final Socket socket;
    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<Integer> opcodes = new CopyOnWriteArrayList<>();
    private volatile boolean eof;

    private RawWs(Socket socket) {
        this.socket = socket;
    }

    /** Connects {@code /ws/sesion={hash}&myid={id}&devid=0&v=4.08&uuid={32 chars}&api=js}. */
    static RawWs open(int port, long userId, String hash) throws IOException {
        String uuid = ("u" + userId + "abcdefghijklmnopqrstuvwxyz0123456789").substring(0, 32);
        String path = "/ws/sesion=" + hash + "&myid=" + userId + "&devid=0&v=4.08&uuid=" + uuid + "&api=js";
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(0);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + head);
        }
        RawWs ws = new RawWs(s);
        Thread t = new Thread(() -> ws.readLoop(in), "raw-ws-" + userId);
        t.setDaemon(true);
        t.start();
        return ws;
    }

    private void readLoop(InputStream in) {
        try {
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    break;
                }
                int b1 = readByte(in);
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = (readByte(in) << 8) | readByte(in);
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | readByte(in);
                    }
                }
                byte[] payload = in.readNBytes((int) len);
                if (payload.length < len) {
                    break;
                }
                opcodes.add(b0 & 0x0F);
                if ((b0 & 0x0F) == 1) {
                    for (String line : new String(payload, StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            messages.add(line.trim());
                        }
                    }
                }
            }
        } catch (IOException e) {
            // reset counts as the end of the stream
        } finally {
            eof = true;
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    /** The next JSON message, or null after {@code seconds}. */
    String next(long seconds) throws InterruptedException {
        return messages.poll(seconds, TimeUnit.SECONDS);
    }

    /** Waits for the TCP end of stream; true if it came in time. */
    synchronized boolean awaitEof(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Opcodes of every frame received. */
    List<Integer> opcodes() {
        return opcodes;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
