package io.comet.core.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a database, to make the database slow or unreachable
 * from a test: {@link #stall()} stops moving bytes (a hung server or a network partition),
 * {@link #refuse()} closes every connection and the listener (server down), {@link #restore()}
 * drops what was stalled and forwards again on the same port.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean stalled;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong heldBytes = new java.util.concurrent.atomic.AtomicLong();

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = listen(0);
        this.port = server.getLocalPort();
        startAccepting(server);
    }

    /** The local port to connect to instead of the database's. */
    public int port() {
        return port;
    }

    /** Bytes read and held back while stalled (a client is waiting on the stalled database). */
    public long heldBytes() {
        return heldBytes.get();
    }

    /** Keeps connections open but stops forwarding: reads on either side hang. */
    public void stall() {
        stalled = true;
    }

    /** Closes every connection and stops listening: connections are refused. */
    public void refuse() throws IOException {
        server.close();
        dropConnections();
    }

    /** Drops stalled connections and forwards new ones again. */
    public synchronized void restore() throws IOException {
        dropConnections();
        stalled = false;
        if (server.isClosed()) {
            server = listen(port);
            startAccepting(server);
        }
    }

    private void dropConnections() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
        sockets.clear();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void startAccepting(ServerSocket listener) {
        Thread t = new Thread(() -> {
            while (!closed && !listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // listener closed, or the database itself is down
                }
            }
        }, "test-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (stalled) {
                        heldBytes.addAndGet(n);
                    }
                    while (stalled && !from.isClosed()) {
                        synchronized (this) {
                            wait(20); // stalled: hold the bytes until restore() drops the connection
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection dropped
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // ignore
                }
            }
        }, "test-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        dropConnections();
    }
}
