package io.comet.test.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One RFC 6455 frame as a test sees it, and the two byte forms a client needs: a masked client
 * frame to send ({@link #masked}) and an unmasked server frame to read ({@link #read}).
 *
 * @param opcode  the opcode (1 text, 2 binary, 8 close, 9 ping, 10 pong)
 * @param fin     whether the FIN bit was set
 * @param payload the unmasked payload
 */
public record WsFrame(int opcode, boolean fin, byte[] payload) {

    /** Opcode of a text frame. */
    public static final int TEXT = 1;
    /** Opcode of a Close frame. */
    public static final int CLOSE = 8;

    /** {@return the payload as UTF-8 text} */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The bytes of a masked client frame (random mask, as a browser sends).
     *
     * @param opcode  the opcode
     * @param fin     the FIN bit
     * @param payload the payload
     * @return the frame's bytes
     */
    public static byte[] masked(int opcode, boolean fin, byte[] payload) {
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

    /**
     * Reads one server frame (servers never mask).
     *
     * @param in the stream after the handshake
     * @return the frame, or null at the end of the stream
     * @throws IOException if the stream breaks mid-frame or the frame is masked
     */
    public static WsFrame read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
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
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frames must not be masked");
        }
        byte[] p = in.readNBytes((int) len);
        if (p.length != len) {
            throw new EOFException("frame cut after " + p.length + " of " + len + " bytes");
        }
        return new WsFrame(b0 & 0x0F, (b0 & 0x80) != 0, p);
    }

    /**
     * Writes a WebSocket upgrade request and reads the response head (up to the blank line).
     *
     * @param out          where to write the request
     * @param in           where the response comes from
     * @param host         the {@code Host} header value
     * @param path         the request path
     * @param key          the {@code Sec-WebSocket-Key}
     * @param extraHeaders header lines, each ending in {@code \r\n} (e.g. {@code "Origin: http://x\r\n"})
     * @return the response's status line and headers (whatever the status)
     * @throws IOException if the connection closes before the head ends
     */
    public static String handshake(OutputStream out, InputStream in, String host, String path, String key,
                                   String extraHeaders) throws IOException {
        String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeaders + "\r\n";
        out.write(req.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
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
                return head.toString(StandardCharsets.ISO_8859_1);
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
}
