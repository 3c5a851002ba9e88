package io.comet.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one listener: a server {@link SslContext} made from {@link TlsFiles} (TLS 1.2
 * and 1.3 only, the JDK's provider), handing out one {@link SslHandler} per accepted connection.
 * Every {@link TlsFiles#reloadInterval()} the files are read again; when their bytes changed and
 * parse into a matching key and chain, new connections get the new certificate (open ones keep
 * theirs). A broken or half-written pair is logged once and the certificate in force is kept, so
 * renewing a certificate never needs a restart and never takes the listener down.
 * {@link #reload()} does the same at once (the launcher calls it on {@code SIGHUP}). Thread-safe.
 */
public final class ServerTls implements AutoCloseable {

    /** The only protocol versions a Comet listener accepts. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Logger log = LoggerFactory.getLogger("io.comet.tls");

    /** What is in force: the context and the bytes it was made from. */
    private record Loaded(SslContext context, X509Certificate certificate, byte[] cert, byte[] key) {
    }

    private final String listener;
    private final TlsFiles files;
    private volatile Loaded loaded;
    /** The bytes of the last pair that failed to load (logged once), or null. */
    private volatile byte[] failed;
    private final ScheduledFuture<?> check;

    private ServerTls(String listener, TlsFiles files, Loaded first) {
        this.listener = listener;
        this.files = files;
        this.loaded = first;
        long every = files.reloadInterval().toMillis();
        this.check = every <= 0 ? null : GlobalEventExecutor.INSTANCE.scheduleWithFixedDelay(this::checkFiles,
                every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads the files and, unless the interval is zero, starts watching them.
     *
     * @param listener what the certificate is for, in log lines and errors (e.g. {@code "HTTP/WebSocket"})
     * @param files    the PEM files
     * @return the running TLS side
     * @throws IllegalArgumentException naming the files and what is wrong with them
     */
    public static ServerTls open(String listener, TlsFiles files) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(files, "files");
        byte[] cert = read(listener, files.certChain());
        byte[] key = read(listener, files.privateKey());
        Loaded first;
        try {
            first = load(cert, key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(listener + " TLS: " + files.certChain() + ", " + files.privateKey() + ": "
                    + e.getMessage(), e);
        }
        log.info("{} TLS certificate loaded: {}", listener, describe(first.certificate()));
        return new ServerTls(listener, files, first);
    }

    private static byte[] read(String listener, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(listener + " TLS: cannot read " + file + ": " + e, e);
        }
    }

    private static Loaded load(byte[] cert, byte[] key) {
        PemKeyPair pair = PemKeyPair.parse(cert, key);
        try {
            SslContext ctx = SslContextBuilder.forServer(pair.key(), pair.chain().toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
            return new Loaded(ctx, pair.chain().get(0), cert, key);
        } catch (SSLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** {@return a handler for one new connection, with the certificate in force} */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return loaded.context().newHandler(alloc);
    }

    /** {@return the server certificate in force (the chain's first)} */
    public X509Certificate certificate() {
        return loaded.certificate();
    }

    /** {@return the files this listener reads} */
    public TlsFiles files() {
        return files;
    }

    /**
     * Reads the files now and takes them if their bytes changed and they load; a failure is
     * logged (WARN) and the certificate in force is kept.
     *
     * @return true if a new certificate is now in force
     */
    public synchronized boolean reload() {
        byte[] cert;
        byte[] key;
        try {
            cert = Files.readAllBytes(files.certChain());
            key = Files.readAllBytes(files.privateKey());
        } catch (IOException e) {
            log.warn("{} TLS: cannot read {} / {} ({}); keeping {}", listener, files.certChain(), files.privateKey(),
                    e.toString(), describe(loaded.certificate()));
            return false;
        }
        Loaded now = loaded;
        if (Arrays.equals(cert, now.cert()) && Arrays.equals(key, now.key())) {
            return false;
        }
        byte[] both = concat(cert, key);
        try {
            Loaded next = load(cert, key);
            loaded = next;
            failed = null;
            log.info("{} TLS certificate reloaded: {}", listener, describe(next.certificate()));
            return true;
        } catch (IllegalArgumentException e) {
            if (!Arrays.equals(both, failed)) {
                failed = both;
                log.warn("{} TLS: {} / {} not loaded ({}); keeping {}", listener, files.certChain(), files.privateKey(),
                        e.getMessage(), describe(now.certificate()));
            }
            return false;
        }
    }

    private void checkFiles() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("{} TLS: checking the certificate files failed", listener, e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String describe(X509Certificate c) {
        return "'" + c.getSubjectX500Principal().getName() + "' valid until " + c.getNotAfter().toInstant();
    }

    /** Stops watching the files (handlers already made keep working). Idempotent. */
    @Override
    public void close() {
        if (check != null) {
            check.cancel(false);
        }
    }
}
