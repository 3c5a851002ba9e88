package io.comet.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM certificate chain and the private key of its first certificate, read from the files'
 * bytes and checked to belong together (a key that does not sign for the certificate is refused
 * here, not at the first handshake). Keys are PKCS#8 ({@code BEGIN PRIVATE KEY}, unencrypted;
 * RSA, EC or Ed25519); the older {@code BEGIN RSA PRIVATE KEY} / {@code BEGIN EC PRIVATE KEY}
 * forms are refused with the command that converts them.
 */
record PemKeyPair(PrivateKey key, List<X509Certificate> chain) {

    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern OLD_KEY = Pattern.compile("-----BEGIN (RSA|EC|DSA|ENCRYPTED) PRIVATE KEY-----");

    PemKeyPair {
        chain = List.copyOf(chain);
    }

    /** Parses both files' contents; throws {@link IllegalArgumentException} saying what is wrong. */
    static PemKeyPair parse(byte[] certPem, byte[] keyPem) {
        List<X509Certificate> chain = certificates(certPem);
        PrivateKey key = privateKey(new String(keyPem, StandardCharsets.US_ASCII));
        if (!signsFor(key, chain.get(0))) {
            throw new IllegalArgumentException("the private key does not belong to the first certificate of the chain ("
                    + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new PemKeyPair(key, chain);
    }

    private static List<X509Certificate> certificates(byte[] pem) {
        try {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : all) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) in the chain file");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate chain is not PEM X.509: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String pem) {
        Matcher m = KEY.matcher(pem);
        if (!m.find()) {
            Matcher old = OLD_KEY.matcher(pem);
            if (old.find()) {
                throw new IllegalArgumentException("the key is a '" + old.group(0).replace("-", "").trim()
                        + "' block; Comet reads unencrypted PKCS#8 keys: convert it with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key'");
            }
            throw new IllegalArgumentException("no PEM private key (-----BEGIN PRIVATE KEY-----) in the key file");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key is not valid base64", e);
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the private key is neither RSA, EC nor Ed25519 PKCS#8");
    }

    /** True when {@code key} makes signatures that {@code cert}'s public key verifies. */
    private static boolean signsFor(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return true; // nothing to compare with here: the handshake will tell
        }
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(nonce);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(nonce);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
