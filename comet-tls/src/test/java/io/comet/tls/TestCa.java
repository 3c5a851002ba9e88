package io.comet.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time (EC P-256, BouncyCastle), and server certificates it
 * signs for {@code localhost} and {@code 127.0.0.1}, written as the PEM files an operator
 * configures ({@code tls_cert} = leaf + CA, {@code tls_key} = PKCS#8). Also the CA as a PEM file
 * (for {@code mysql --ssl-ca}, PHP, Node) and as an {@link SSLContext}/trust store for Java clients.
 */
public final class TestCa {

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private final KeyPair keys;
    private final X509Certificate cert;
    private final Path dir;

    private TestCa(Path dir, String name) {
        this.dir = dir;
        try {
            keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                    keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            cert = sign(b, keys);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new CA writing its files under {@code dir}. */
    public static TestCa create(Path dir) {
        return new TestCa(dir, "Comet Test CA " + SERIALS.incrementAndGet());
    }

    /** {@return the CA certificate} */
    public X509Certificate certificate() {
        return cert;
    }

    /** {@return the CA certificate as a PEM file (written once)} */
    public Path caPem() {
        Path p = dir.resolve("ca.pem");
        if (!Files.exists(p)) {
            write(p, pem(cert));
        }
        return p;
    }

    /** A server certificate and key signed by this CA. */
    public record Issued(Path certChain, Path privateKey, X509Certificate certificate) {
        /** {@return the files as {@link TlsFiles}, checked every {@code reload}} */
        public TlsFiles files(Duration reload) {
            return new TlsFiles(certChain, privateKey, reload);
        }

        /** {@return base64 SHA-256 of the certificate's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list)} */
        public String spkiSha256() {
            try {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(certificate.getPublicKey().getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Issues a server certificate for {@code localhost} and {@code 127.0.0.1} with common name
     * {@code cn}, written as {@code <file>.crt} (leaf then CA) and {@code <file>.key}.
     */
    public Issued issue(String file, String cn) {
        try {
            KeyPair leafKeys = ecKeys();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(7))),
                    new X500Name("CN=" + cn), leafKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
            X509Certificate leaf = sign(b, keys);
            Path crt = dir.resolve(file + ".crt");
            Path key = dir.resolve(file + ".key");
            write(crt, pem(leaf) + pem(cert));
            write(key, pem(leafKeys.getPrivate()));
            return new Issued(crt, key, leaf);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return a client SSLContext trusting only this CA} */
    public SSLContext clientContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers().getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return a PKCS#12 trust store file holding this CA (password {@code changeit}), for JDBC drivers} */
    public Path trustStore() {
        Path p = dir.resolve("truststore.p12");
        if (!Files.exists(p)) {
            try (var out = Files.newOutputStream(p)) {
                trustKeyStore().store(out, "changeit".toCharArray());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return p;
    }

    private KeyStore trustKeyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("comet-test-ca", cert);
        return ks;
    }

    private TrustManagerFactory trustManagers() throws GeneralSecurityException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustKeyStore());
            return tmf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    /** {@return {@code o} (certificate or key) in PEM; keys come out as PKCS#8} */
    public static String pem(Object o) {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o instanceof java.security.PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
