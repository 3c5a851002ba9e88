package io.comet.cometql.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * {@code mysql_native_password} (cometql.md §1.4): proof = SHA1(P) XOR SHA1(scramble ‖ SHA1(SHA1(P))),
 * and scrambles of printable ASCII 0x01–0x7F (never NUL, never ≥ 0x80: Connector/J decodes them as ASCII).
 */
public final class NativePassword {

    private static final SecureRandom RANDOM = new SecureRandom();

    private NativePassword() {
    }

    /** A fresh 20-byte scramble, every byte in 0x01–0x7F. */
    public static byte[] newScramble() {
        byte[] b = new byte[20];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (1 + RANDOM.nextInt(0x7F));
        }
        return b;
    }

    /** The proof a client computes for {@code password} and {@code scramble}. */
    public static byte[] proof(String password, byte[] scramble) {
        MessageDigest sha1 = sha1();
        byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] stage2 = sha1.digest(stage1);
        sha1.update(scramble);
        byte[] mix = sha1.digest(stage2);
        byte[] out = new byte[stage1.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (stage1[i] ^ mix[i]);
        }
        return out;
    }

    /** Constant-time check of a client's 20-byte proof. */
    public static boolean matches(String password, byte[] scramble, byte[] clientProof) {
        return clientProof.length == 20 && MessageDigest.isEqual(proof(password, scramble), clientProof);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
