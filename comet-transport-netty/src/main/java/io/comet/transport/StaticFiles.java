package io.comet.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves request targets to files under {@code base_dir} (client-protocol.md §1.9) with the
 * {@code [content-type]} map. Refuses traversal: {@code ..} (also percent-encoded), absolute
 * and drive paths, backslashes and NUL give 403; a file whose real path (symlinks resolved) is
 * outside the folder gives 403; no extension, an unlisted extension, a folder or a missing
 * file give 404.
 */
final class StaticFiles {

    /** Outcome of a lookup: 200 with a file and type, or an error status. */
    record Lookup(int status, Path file, String contentType) {
    }

    private final Path root;
    private final Path realRoot;
    private final Map<String, String> types;

    StaticFiles(Path baseDir, Map<String, String> types) {
        this.root = baseDir == null ? null : baseDir.toAbsolutePath().normalize();
        Path real = null;
        if (root != null) {
            try {
                real = root.toRealPath();
            } catch (IOException e) {
                real = root;
            }
        }
        this.realRoot = real;
        this.types = types;
    }

    /** Looks up a request path (prefix already stripped, may carry a query). */
    Lookup lookup(String target) {
        if (root == null) {
            return new Lookup(404, null, null);
        }
        String path = target;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        int h = path.indexOf('#');
        if (h >= 0) {
            path = path.substring(0, h);
        }
        String decoded = percentDecode(path);
        if (decoded == null) {
            return new Lookup(400, null, null);
        }
        if (decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0 || decoded.contains("..")) {
            return new Lookup(403, null, null);
        }
        if (!decoded.startsWith("/") || decoded.startsWith("//") || decoded.matches("^/[A-Za-z]:.*")) {
            return new Lookup(403, null, null);
        }
        String rel = decoded.substring(1);
        int dot = rel.lastIndexOf('.');
        int lastSlash = rel.lastIndexOf('/');
        if (dot < 0 || dot < lastSlash) {
            return new Lookup(404, null, null);
        }
        String type = types.get(rel.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return new Lookup(404, null, null);
        }
        Path file = root.resolve(rel).normalize();
        if (!file.startsWith(root)) {
            return new Lookup(403, null, null);
        }
        if (!Files.isRegularFile(file)) {
            return new Lookup(404, null, null);
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(realRoot)) {
                return new Lookup(403, null, null);
            }
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(real)) {
                return new Lookup(404, null, null);
            }
            return new Lookup(200, real, type);
        } catch (IOException e) {
            return new Lookup(404, null, null);
        }
    }

    /** Decodes {@code %XX} escapes as UTF-8; {@code null} on a malformed escape. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(b, 0, out, n, b.length);
                n += b.length;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
