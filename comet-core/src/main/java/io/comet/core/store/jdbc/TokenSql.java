package io.comet.core.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** SQL of {@code comet_revoked_tokens}; tokens can be long, so rows are keyed by the token's SHA-256. */
final class TokenSql {

    private TokenSql() {
    }

    static boolean isRevoked(Handle h, int devId, String token) {
        return h.createQuery("SELECT token FROM comet_revoked_tokens WHERE dev_id = :d AND token_hash = :h")
                .bind("d", devId).bind("h", sha256(token))
                .mapTo(String.class).findOne().map(token::equals).orElse(false);
    }

    static void revoke(Handle h, int devId, String token) {
        String hash = sha256(token);
        if (!Sql.exists(h, "SELECT COUNT(*) FROM comet_revoked_tokens WHERE dev_id = :d AND token_hash = :p", devId, hash)) {
            h.createUpdate("INSERT INTO comet_revoked_tokens (dev_id, token_hash, token) VALUES (:d, :h, :t)")
                    .bind("d", devId).bind("h", hash).bind("t", token).execute();
        }
    }

    static void unrevoke(Handle h, int devId, String token) {
        h.createUpdate("DELETE FROM comet_revoked_tokens WHERE dev_id = :d AND token_hash = :h")
                .bind("d", devId).bind("h", sha256(token)).execute();
    }

    static List<String> revokedTokens(Handle h, int devId) {
        return h.createQuery("SELECT token FROM comet_revoked_tokens WHERE dev_id = :d ORDER BY seq")
                .bind("d", devId)
                .mapTo(String.class).collectIntoList();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
