package io.comet.test.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random and mutated inputs for fuzzing Comet's two doors over real sockets, shared by the CI
 * samples (comet-transport-netty's {@code SocketFuzzTest}, comet-cometql's
 * {@code MySqlSocketFuzzTest}) and comet-bench's {@code fuzz} scenario. A fixed seed gives the
 * same inputs every run.
 */
public final class FuzzInputs {

    /** How many kinds {@link #wsFrame} knows. */
    public static final int WS_KINDS = 10;
    private static final byte[] PING = {(byte) 0x89, (byte) 0x80, 0, 0, 0, 0};

    private FuzzInputs() {
    }

    /**
     * One client WebSocket frame of a kind: 0 random bytes; 1–2 a command with mutated bytes; 3 any
     * opcode and RSV bits; 4 a fragment start or a lone continuation; 5 unmasked; 6 a 64-bit length
     * that never comes; 7 cut short; 8–9 a valid command.
     *
     * @param rnd      the random source
     * @param kind     0 to {@link #WS_KINDS} − 1
     * @param commands the command texts to start from
     * @return the frame's bytes
     */
    public static byte[] wsFrame(SplittableRandom rnd, int kind, String[] commands) {
        if (kind == 0) {
            byte[] junk = new byte[1 + rnd.nextInt(40)];
            rnd.nextBytes(junk);
            return junk;
        }
        byte[] payload = commands[rnd.nextInt(commands.length)].getBytes(StandardCharsets.UTF_8);
        if (kind <= 2) {
            for (int i = 0; i < 1 + rnd.nextInt(3) && payload.length > 0; i++) {
                payload[rnd.nextInt(payload.length)] = (byte) rnd.nextInt(256);
            }
        }
        int b0 = kind == 3 ? (rnd.nextInt(256) | 0x80) : kind == 4 ? (rnd.nextBoolean() ? 0x01 : 0x80) : 0x81;
        boolean masked = kind != 5;
        int len = payload.length;
        byte[] head = len < 126 ? new byte[] {(byte) b0, (byte) ((masked ? 0x80 : 0) | len)}
                : new byte[] {(byte) b0, (byte) ((masked ? 0x80 : 0) | 126), (byte) (len >> 8), (byte) len};
        if (kind == 6) {
            head[1] = (byte) ((masked ? 0x80 : 0) | 127);
        }
        byte[] f = new byte[head.length + (masked ? 4 : 0) + len];
        System.arraycopy(head, 0, f, 0, head.length);
        byte[] mask = new byte[4];
        if (masked) {
            rnd.nextBytes(mask);
            System.arraycopy(mask, 0, f, head.length, 4);
        }
        int at = head.length + (masked ? 4 : 0);
        for (int i = 0; i < len; i++) {
            f[at + i] = (byte) (payload[i] ^ (masked ? mask[i & 3] : 0));
        }
        return kind == 7 ? Arrays.copyOf(f, rnd.nextInt(f.length)) : f;
    }

    /**
     * Whether a frame of {@link #wsFrame} leaves the stream in step (a server can answer a ping
     * after it): not random bytes, a length that never comes, a cut frame or an unfinished fragment.
     *
     * @param kind  the frame's kind
     * @param frame the frame
     * @return whether {@link #wsProbe} may follow it
     */
    public static boolean wsComplete(int kind, byte[] frame) {
        return kind != 0 && kind != 6 && kind != 7 && !(kind == 4 && (frame[0] & 0x80) == 0);
    }

    /**
     * After an input: sends a ping and reads until the pong (the server took the input and is still
     * in step) or the end (it closed the connection). Incomplete inputs are not probed: the client
     * drops the connection (the server must free what it held).
     *
     * @param s        the fuzzed connection
     * @param complete {@link #wsComplete} of the input
     * @return true when the connection is over
     * @throws IOException if the connection breaks
     */
    public static boolean wsProbe(Socket s, boolean complete) throws IOException {
        if (!complete) {
            return true;
        }
        s.getOutputStream().write(PING);
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return true;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            in.skipNBytes(len);
            if ((b0 & 0x0F) == 0xA) {
                return false;
            }
            if ((b0 & 0x0F) == 0x8) {
                return true; // a Close frame: TCP goes next
            }
        }
    }

    /**
     * One MySQL command packet (sequence id 0): a query (maybe mutated), another {@code COM_*},
     * random bytes, or a length that lies.
     *
     * @param rnd     the random source
     * @param queries the queries to start from
     * @return the packet's bytes, header included
     */
    public static byte[] mysqlPacket(SplittableRandom rnd, String[] queries) {
        int kind = rnd.nextInt(8);
        byte[] body;
        if (kind <= 3) {
            byte[] q = queries[rnd.nextInt(queries.length)].getBytes(StandardCharsets.UTF_8);
            body = new byte[q.length + 1];
            body[0] = 3;
            System.arraycopy(q, 0, body, 1, q.length);
            if (kind >= 2) {
                body[1 + rnd.nextInt(q.length)] = (byte) rnd.nextInt(256);
            }
        } else {
            body = new byte[1 + rnd.nextInt(30)];
            rnd.nextBytes(body);
            if (kind == 4) {
                body[0] = (byte) rnd.nextInt(0x20); // any COM_*
            }
        }
        int len = kind == 7 ? rnd.nextInt(1 << 16) : body.length;
        byte[] p = new byte[4 + body.length];
        p[0] = (byte) len;
        p[1] = (byte) (len >> 8);
        p[2] = (byte) (len >> 16);
        System.arraycopy(body, 0, p, 4, body.length);
        return p;
    }
}
