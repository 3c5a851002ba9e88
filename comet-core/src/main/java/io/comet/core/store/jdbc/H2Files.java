package io.comet.core.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 database private on POSIX file systems: a directory the store creates is
 * {@code rwx------} (0700), and the database's files ({@code <name>.mv.db}, {@code .trace.db},
 * lock and temporary files, whatever is present) are {@code rw-------} (0600). A directory that
 * already exists is left as it is (it may be shared, e.g. {@code /tmp}); its database files are
 * still restricted. Elsewhere (Windows) nothing is changed.
 */
final class H2Files {

    private static final Logger log = LoggerFactory.getLogger(H2Files.class);

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;
    private final String prefix;

    private H2Files(Path base) {
        this.directory = base.getParent() == null ? Path.of(".") : base.getParent();
        this.prefix = base.getFileName() + ".";
    }

    /** The files of an embedded H2 file database URL; empty for in-memory, TCP and other URLs. */
    static Optional<H2Files> of(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring("jdbc:h2:".length());
        int semicolon = path.indexOf(';');
        if (semicolon >= 0) {
            path = path.substring(0, semicolon);
        }
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (path.matches("^[A-Za-z]{2,}:.*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, nio:, … (a drive letter has one char)
        }
        if (path.isEmpty()) {
            return Optional.empty();
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Optional.of(new H2Files(Path.of(path).toAbsolutePath().normalize()));
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Creates the database directory (and missing parents) as 0700 before H2 opens the database. */
    void createDirectory() {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            if (posix()) {
                FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(DIRECTORY);
                Files.createDirectories(directory, attr);
                Files.setPosixFilePermissions(directory, DIRECTORY); // exact, whatever the umask
            } else {
                Files.createDirectories(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the store directory " + directory, e);
        }
    }

    /** Makes the database's files 0600 (those present now). */
    void restrictFiles() {
        if (!posix() || !Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*")) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    Files.setPosixFilePermissions(f, FILE);
                }
            }
        } catch (IOException e) {
            log.warn("cannot restrict the permissions of the store files {}* in {}: {}", prefix, directory, e.toString());
        }
    }

    Path directory() {
        return directory;
    }
}
