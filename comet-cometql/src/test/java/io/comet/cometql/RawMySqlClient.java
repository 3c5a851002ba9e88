package io.comet.cometql;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.NativePassword;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A minimal blocking MySQL wire client for protocol tests: raw packets with their sequence ids. */
final class RawMySqlClient implements AutoCloseable {

    /** One received packet. */
    record Packet(int seq, byte[] payload) {
        int first() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        boolean isOk() {
            return first() == 0x00;
        }

        boolean isErr() {
            return first() == 0xFF;
        }

        boolean isEof() {
            return first() == 0xFE && payload.length < 9;
        }

        int errCode() {
            return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        }

        String errMessage() {
            return new String(payload, 9, payload.length - 9, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Packet{seq=" + seq + ", " + (isErr() ? "ERR " + errCode() + " " + errMessage() : Arrays.toString(payload)) + "}";
        }
    }

    static final int CAPS = MySqlConstants.CLIENT_LONG_PASSWORD | MySqlConstants.CLIENT_PROTOCOL_41
            | MySqlConstants.CLIENT_SECURE_CONNECTION | MySqlConstants.CLIENT_PLUGIN_AUTH
            | MySqlConstants.CLIENT_TRANSACTIONS;

    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    byte[] scramble;
    int serverCaps;
    Packet handshake;

    RawMySqlClient(int port) throws IOException {
        this(port, null);
    }

    RawMySqlClient(int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Reads the server greeting and remembers the scramble. */
    Packet readHandshake() throws IOException {
        handshake = read();
        byte[] p = handshake.payload();
        int i = 1;
        while (p[i] != 0) {
            i++;
        }
        i++;
        i += 4;
        byte[] s = new byte[20];
        System.arraycopy(p, i, s, 0, 8);
        i += 9;
        int capsLow = (p[i] & 0xFF) | (p[i + 1] & 0xFF) << 8;
        i += 2 + 1 + 2;
        int capsHigh = (p[i] & 0xFF) | (p[i + 1] & 0xFF) << 8;
        serverCaps = capsLow | capsHigh << 16;
        i += 2 + 1 + 10;
        System.arraycopy(p, i, s, 8, 12);
        scramble = s;
        return handshake;
    }

    static byte[] handshakeResponse(int caps, String user, byte[] auth, String db, String plugin) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c = caps | (db != null ? MySqlConstants.CLIENT_CONNECT_WITH_DB : 0);
        b.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24)});
        b.writeBytes(new byte[] {0, 0, 0, 1, 45});
        b.writeBytes(new byte[23]);
        b.writeBytes(user.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        b.write(auth.length);
        b.writeBytes(auth);
        if (db != null) {
            b.writeBytes(db.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        if (plugin != null) {
            b.writeBytes(plugin.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return b.toByteArray();
    }

    /** Greeting + mysql_native_password login; returns the server's answer. */
    Packet login(String user, String password, String db) throws IOException {
        return login(CAPS, user, password, db);
    }

    Packet login(int caps, String user, String password, String db) throws IOException {
        readHandshake();
        byte[] auth = password.isEmpty() ? new byte[0] : NativePassword.proof(password, scramble);
        send(1, handshakeResponse(caps, user, auth, db, MySqlConstants.NATIVE_PASSWORD));
        return read();
    }

    void send(int seq, byte[] payload) throws IOException {
        out.write(frame(seq, payload));
        out.flush();
    }

    static byte[] frame(int seq, byte[] payload) {
        byte[] f = new byte[payload.length + 4];
        f[0] = (byte) payload.length;
        f[1] = (byte) (payload.length >> 8);
        f[2] = (byte) (payload.length >> 16);
        f[3] = (byte) seq;
        System.arraycopy(payload, 0, f, 4, payload.length);
        return f;
    }

    static byte[] command(int cmd, String arg) {
        byte[] a = arg.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[a.length + 1];
        p[0] = (byte) cmd;
        System.arraycopy(a, 0, p, 1, a.length);
        return p;
    }

    /** Sends COM_QUERY and reads the whole answer (OK/ERR, or a result set up to its final EOF). */
    List<Packet> query(String sql) throws IOException {
        send(0, command(0x03, sql));
        return readResponse();
    }

    List<Packet> readResponse() throws IOException {
        List<Packet> list = new ArrayList<>();
        Packet first = read();
        list.add(first);
        if (first.isOk() || first.isErr() || first.isEof()) {
            return list;
        }
        int eofs = 0;
        while (eofs < 2) {
            Packet p = read();
            list.add(p);
            if (p.isEof()) {
                eofs++;
            }
        }
        return list;
    }

    /** Text values of the rows of a result set read by {@link #query}. */
    static List<List<String>> rows(List<Packet> packets) {
        List<List<String>> rows = new ArrayList<>();
        int eofs = 0;
        for (Packet p : packets.subList(1, packets.size())) {
            if (p.isEof()) {
                eofs++;
                continue;
            }
            if (eofs == 1) {
                List<String> r = new ArrayList<>();
                byte[] b = p.payload();
                int i = 0;
                while (i < b.length) {
                    int len = b[i] & 0xFF;
                    i++;
                    if (len == 0xFC) {
                        len = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
                        i += 2;
                    }
                    r.add(new String(b, i, len, StandardCharsets.UTF_8));
                    i += len;
                }
                rows.add(r);
            }
        }
        return rows;
    }

    Packet read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("closed by server");
        }
        int len = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        int seq = in.readUnsignedByte();
        byte[] p = new byte[len];
        in.readFully(p);
        return new Packet(seq, p);
    }

    /** True if the server closed the connection (reads EOF within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
