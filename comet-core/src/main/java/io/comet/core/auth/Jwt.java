package io.comet.core.auth;

import io.comet.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JWT checks of client-protocol.md §4.4: key = password followed by the decimal dev_id;
 * payload {@code user_id} must be a JSON number; {@code exp} is mandatory, numeric and not past
 * (quirk Q21). Revocation is checked by the caller against the store.
 */
public final class Jwt {

    public static final int MAX_TOKEN_LENGTH = 600;

    private Jwt() {
    }

    /** True if {@code s} has the shape of a compact JWS (three base64url parts). */
    public static boolean looksLikeJwt(String s) {
        if (s == null || s.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        int a = s.indexOf('.');
        int b = a < 0 ? -1 : s.indexOf('.', a + 1);
        return a > 0 && b > a + 1 && b < s.length() - 1 && s.indexOf('.', b + 1) < 0;
    }

    /**
     * Verifies a token and returns its numeric {@code user_id}, or -1 when the token is invalid,
     * expired, not HS256 or signed with another key.
     */
    public static long verify(String token, String password, int devId, long nowSeconds) {
        if (password == null || !looksLikeJwt(token)) {
            return -1;
        }
        try {
            int a = token.indexOf('.');
            int b = token.indexOf('.', a + 1);
            Base64.Decoder dec = Base64.getUrlDecoder();
            Object header = Json.parse(new String(dec.decode(token.substring(0, a)), StandardCharsets.UTF_8));
            if (!(header instanceof Map<?, ?> h) || !"HS256".equals(h.get("alg"))) {
                return -1;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((password + devId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(token.substring(0, b).getBytes(StandardCharsets.US_ASCII));
            byte[] given = dec.decode(token.substring(b + 1));
            if (!MessageDigest.isEqual(expected, given)) {
                return -1;
            }
            Object payload = Json.parse(new String(dec.decode(token.substring(a + 1, b)), StandardCharsets.UTF_8));
            if (!(payload instanceof Map<?, ?> p)) {
                return -1;
            }
            if (!(p.get("user_id") instanceof Long uid) || uid <= 0) {
                return -1;
            }
            Object exp = p.get("exp");
            if (!(exp instanceof Number n) || n.doubleValue() < nowSeconds) {
                return -1;
            }
            return uid;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return -1;
        }
    }

    /** Signs a payload (used by tests and embedding applications through {@code engine.accounts().signJwt}). */
    public static String sign(Map<String, Object> payload, String password, int devId) {
        try {
            Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
            String head = enc.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String body = enc.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((password + devId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signed = head + "." + body;
            return signed + "." + enc.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
