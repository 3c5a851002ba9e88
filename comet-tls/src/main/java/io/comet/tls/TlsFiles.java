package io.comet.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a listener's certificate lives: a PEM certificate chain (the server's certificate first,
 * then the intermediates) and its PEM private key (PKCS#8 {@code BEGIN PRIVATE KEY}, unencrypted),
 * plus how often the files are checked for a change ({@code [ws] tls_cert}/{@code tls_key},
 * {@code [cometql] tls_cert}/{@code tls_key} in comet.ini). Immutable.
 *
 * @param certChain      PEM certificate chain file
 * @param privateKey     PEM private key file
 * @param reloadInterval how often the files' size and modification time are compared with the
 *                       loaded ones ({@link Duration#ZERO}: never; {@link ServerTls#reload()} still works)
 */
public record TlsFiles(Path certChain, Path privateKey, Duration reloadInterval) {

    /** The default check of the files: every 10 s, so a renewed certificate is served within seconds. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

    /** Validates the values (the files themselves are read by {@link ServerTls#open}). */
    public TlsFiles {
        Objects.requireNonNull(certChain, "certChain");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("reloadInterval: " + reloadInterval + " (expected: >= 0)");
        }
    }

    /**
     * The files with the default reload check.
     *
     * @param certChain  PEM certificate chain file
     * @param privateKey PEM private key file
     * @return the value
     */
    public static TlsFiles of(Path certChain, Path privateKey) {
        return new TlsFiles(certChain, privateKey, DEFAULT_RELOAD_INTERVAL);
    }

    /**
     * The same files checked every {@code interval}.
     *
     * @param interval the new interval ({@link Duration#ZERO}: never)
     * @return the value
     */
    public TlsFiles withReloadInterval(Duration interval) {
        return new TlsFiles(certChain, privateKey, interval);
    }
}
