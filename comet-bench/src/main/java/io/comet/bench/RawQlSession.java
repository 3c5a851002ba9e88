package io.comet.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The smallest MySQL client that publishes through CometQL: protocol-41 login with
 * {@code mysql_native_password} (AuthSwitchRequest followed), then {@code COM_QUERY} packets,
 * each answered by OK or ERR. Sends no connect-time queries, hashes the scramble as raw bytes,
 * so it also works with the original CppComet (cometql spec §1.2–1.4).
 */
final class RawQlSession implements QlSession {
    private static final int CLIENT_LONG_PASSWORD = 1;
    private static final int CLIENT_CONNECT_WITH_DB = 8;
    private static final int CLIENT_PROTOCOL_41 = 512;
    private static final int CLIENT_TRANSACTIONS = 8192;
    private static final int CLIENT_SECURE_CONNECTION = 32768;
    private static final int CLIENT_PLUGIN_AUTH = 1 << 19;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int seq;

    private RawQlSession(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    static RawQlSession connect(Target t) throws SQLException {
        return connect(t.host(), t.cqlPort(), t.devId() == 0 ? "root" : Integer.toString(t.devId()),
                t.password(), "CometQL_v1");
    }

    static RawQlSession connect(String host, int port, String user, String password, String db)
            throws SQLException {
        try {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(60_000);
            RawQlSession q = new RawQlSession(s);
            q.login(user, password, db);
            return q;
        } catch (IOException e) {
            throw new SQLException("CometQL connect failed: " + e.getMessage(), e);
        }
    }

    private void login(String user, String password, String db) throws IOException, SQLException {
        byte[] hs = readPacket();
        if (hs.length > 0 && (hs[0] & 0xFF) == 0xFF) {
            throw err(hs);
        }
        int i = 1;
        while (hs[i] != 0) {
            i++;
        }
        i++; // server version
        i += 4; // connection id
        byte[] seed = Arrays.copyOfRange(hs, i, i + 8);
        i += 8 + 1;
        int capLow = (hs[i] & 0xFF) | (hs[i + 1] & 0xFF) << 8;
        i += 2;
        int capHigh = 0;
        int authLen = 0;
        if (i < hs.length) {
            i += 1 + 2; // charset, status
            capHigh = (hs[i] & 0xFF) | (hs[i + 1] & 0xFF) << 8;
            i += 2;
            authLen = hs[i] & 0xFF;
            i += 1 + 10;
        }
        int serverCaps = capLow | capHigh << 16;
        if ((serverCaps & CLIENT_SECURE_CONNECTION) != 0) {
            int part2 = Math.max(13, authLen - 8) - 1; // without its trailing NUL
            byte[] s2 = Arrays.copyOfRange(hs, i, Math.min(hs.length, i + part2));
            byte[] full = new byte[seed.length + s2.length];
            System.arraycopy(seed, 0, full, 0, seed.length);
            System.arraycopy(s2, 0, full, seed.length, s2.length);
            seed = full;
        }
        boolean pluginAuth = (serverCaps & CLIENT_PLUGIN_AUTH) != 0;
        int caps = CLIENT_LONG_PASSWORD | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS
                | CLIENT_SECURE_CONNECTION | (pluginAuth ? CLIENT_PLUGIN_AUTH : 0);
        byte[] auth = scramble(password, Arrays.copyOf(seed, 20));
        Buf b = new Buf();
        b.int4(caps).int4(1 << 24).int1(33);
        b.zeros(23);
        b.str(user).int1(0);
        b.int1(auth.length).bytes(auth);
        b.str(db).int1(0);
        if (pluginAuth) {
            b.str("mysql_native_password").int1(0);
        }
        writePacket(b.toArray());
        byte[] r = readPacket();
        if ((r[0] & 0xFF) == 0xFE && r.length > 1) { // AuthSwitchRequest
            int j = 1;
            while (r[j] != 0) {
                j++;
            }
            byte[] seed2 = Arrays.copyOfRange(r, j + 1, Math.min(r.length, j + 21));
            writePacket(scramble(password, seed2));
            r = readPacket();
        }
        if ((r[0] & 0xFF) == 0xFF) {
            throw err(r);
        }
    }

    static byte[] scramble(String password, byte[] seed) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] p1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] p2 = sha1.digest(p1);
            sha1.update(seed);
            byte[] p3 = sha1.digest(p2);
            for (int k = 0; k < p3.length; k++) {
                p3[k] ^= p1[k];
            }
            return p3;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void update(String sql) throws SQLException {
        try {
            seq = 0;
            byte[] q = sql.getBytes(StandardCharsets.UTF_8);
            byte[] p = new byte[q.length + 1];
            p[0] = 0x03;
            System.arraycopy(q, 0, p, 1, q.length);
            writePacket(p);
            byte[] r = readPacket();
            int first = r.length == 0 ? -1 : r[0] & 0xFF;
            if (first == 0xFF) {
                throw err(r);
            }
            if (first != 0x00) { // a result set: skip columns and rows up to the second EOF
                int eofs = 0;
                while (eofs < 2) {
                    byte[] x = readPacket();
                    if ((x[0] & 0xFF) == 0xFE && x.length < 9) {
                        eofs++;
                    } else if ((x[0] & 0xFF) == 0xFF) {
                        throw err(x);
                    }
                }
            }
        } catch (IOException e) {
            throw new SQLException("CometQL I/O: " + e.getMessage(), e);
        }
    }

    private static SQLException err(byte[] p) {
        int code = (p[1] & 0xFF) | (p[2] & 0xFF) << 8;
        int from = p.length > 3 && p[3] == '#' ? 9 : 3;
        return new SQLException(new String(p, from, Math.max(0, p.length - from), StandardCharsets.UTF_8), "HY000", code);
    }

    private byte[] readPacket() throws IOException {
        int len = read() | read() << 8 | read() << 16;
        seq = (read() + 1) & 0xFF;
        byte[] p = new byte[len];
        int off = 0;
        while (off < len) {
            int n = in.read(p, off, len - off);
            if (n < 0) {
                throw new EOFException("CometQL connection closed");
            }
            off += n;
        }
        return p;
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("CometQL connection closed");
        }
        return b;
    }

    private void writePacket(byte[] p) throws IOException {
        out.write(p.length & 0xFF);
        out.write(p.length >>> 8 & 0xFF);
        out.write(p.length >>> 16 & 0xFF);
        out.write(seq);
        seq = (seq + 1) & 0xFF;
        out.write(p);
        out.flush();
    }

    @Override
    public void close() {
        try {
            seq = 0;
            writePacket(new byte[] {0x01}); // COM_QUIT
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static final class Buf {
        private byte[] a = new byte[128];
        private int n;

        private Buf ensure(int k) {
            if (n + k > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + k));
            }
            return this;
        }

        Buf int1(int v) {
            ensure(1).a[n++] = (byte) v;
            return this;
        }

        Buf int4(int v) {
            return int1(v).int1(v >>> 8).int1(v >>> 16).int1(v >>> 24);
        }

        Buf zeros(int k) {
            ensure(k);
            n += k;
            return this;
        }

        Buf bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, a, n, b.length);
            n += b.length;
            return this;
        }

        Buf str(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
