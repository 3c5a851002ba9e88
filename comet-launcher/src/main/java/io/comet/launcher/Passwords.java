package io.comet.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CometQL password when none is configured (docs/architecture.md "Configuration"): generated at
 * first start, logged once, and kept in {@code <data_dir>/}{@value #FILE} (owner-only) so later
 * starts use the same one without logging it again.
 */
final class Passwords {

    /** Name of the file in the data directory. */
    static final String FILE = "cometql.password";

    private static final Logger log = LoggerFactory.getLogger("io.comet.launcher");

    private Passwords() {
    }

    /** A password and whether it was generated at this start (then the start log may show it). */
    record Kept(String password, boolean generatedNow) {
    }

    /** The kept password, or a new one that is written to the data directory and logged once. */
    static Kept loadOrGenerate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String pw = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!pw.isEmpty()) {
                    log.info("[main] password is not configured: using the CometQL password generated at first start "
                            + "(kept in {})", file.toAbsolutePath());
                    return new Kept(pw, false);
                }
            }
            String pw = generate();
            Files.createDirectories(dataDir);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // empty file from an interrupted first start: overwrite below
            }
            Files.writeString(file, pw + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            log.warn("[main] password is not configured; generated CometQL password: {} (kept in {}; set [main] "
                    + "password or COMET_PASSWORD to choose one)", pw, file.toAbsolutePath());
            return new Kept(pw, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated CometQL password in " + file + ": " + e, e);
        }
    }

    static String generate() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
