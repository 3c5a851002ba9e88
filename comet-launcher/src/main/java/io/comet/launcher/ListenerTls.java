package io.comet.launcher;

import io.comet.tls.TlsFiles;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The {@code tls_cert} / {@code tls_key} pair of one comet.ini section ({@code [ws]},
 * {@code [cometql]}), read key by key and handed to the listener's builder as {@link TlsFiles}
 * once both are known: one without the other is a configuration error.
 */
final class ListenerTls {

    private final String section;
    private Path cert;
    private Path key;

    ListenerTls(String section) {
        this.section = section;
    }

    void cert(Path v) {
        cert = v;
    }

    void key(Path v) {
        key = v;
    }

    /** Gives {@code target} the pair when both are set; nothing when neither is. */
    void applyTo(Consumer<TlsFiles> target) {
        if (cert == null && key == null) {
            return;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("[" + section + "] tls_cert and tls_key go together ("
                    + (cert == null ? "tls_cert" : "tls_key") + " is missing)");
        }
        target.accept(TlsFiles.of(cert, key));
    }
}
