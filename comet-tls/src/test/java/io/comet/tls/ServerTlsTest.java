package io.comet.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 1 at the TLS layer, over real sockets: a Netty listener whose connections get
 * {@link ServerTls#newHandler} handlers, JDK clients that trust only a CA made at test time and
 * check the host name. TLS 1.3 and 1.2 connect, 1.1 and 1.0 are refused by Comet's own setting
 * (this JVM lifts the JDK's refusal), a renewed certificate is served without a restart, a broken
 * renewal keeps the old one, and bad files fail at start with what is wrong.
 */
class ServerTlsTest {

    @TempDir
    Path dir;

    private MultiThreadIoEventLoopGroup group;
    private Channel server;
    private ServerTls tls;

    @AfterEach
    void stop() {
        if (tls != null) {
            tls.close();
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private int listen(ServerTls t) {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(t.newHandler(ch.alloc())).addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // refused handshakes are what some tests expect
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Handshakes as {@code protocol} trusting only {@code ca}, checking the name localhost; returns the server's certificate. */
    private static X509Certificate handshake(TestCa ca, int port, String protocol) throws Exception {
        try (SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {protocol});
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setServerNames(List.of(new SNIHostName("localhost")));
            s.setSSLParameters(p);
            s.setSoTimeout(5000);
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void tls13And12ConnectWithTheChainOfTheTestCaAnd11And10AreRefused() throws Exception {
        TestCa ca = TestCa.create(dir);
        TestCa.Issued a = ca.issue("server", "comet-a");
        tls = ServerTls.open("test", a.files(Duration.ZERO));
        int port = listen(tls);

        assertThat(handshake(ca, port, "TLSv1.3").getSubjectX500Principal().getName()).isEqualTo("CN=comet-a");
        assertThat(handshake(ca, port, "TLSv1.2").getSubjectX500Principal().getName()).isEqualTo("CN=comet-a");
        for (String old : List.of("TLSv1.1", "TLSv1")) {
            assertThatThrownBy(() -> handshake(ca, port, old)).as(old).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(tls.newHandler(ByteBufAllocator.DEFAULT).engine().getEnabledProtocols())
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        // a client that does not trust the test CA is refused by itself: the chain is the CA's
        TestCa other = TestCa.create(Files.createDirectory(dir.resolve("other")));
        assertThatThrownBy(() -> handshake(other, port, "TLSv1.3")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        TestCa ca = TestCa.create(dir);
        TestCa.Issued a = ca.issue("server", "comet-a");
        tls = ServerTls.open("test", a.files(Duration.ofMillis(50)));
        int port = listen(tls);
        assertThat(handshake(ca, port, "TLSv1.3").getSubjectX500Principal().getName()).isEqualTo("CN=comet-a");

        // renewal: new files written beside and moved into place, as certbot and Kubernetes do
        TestCa.Issued b = ca.issue("renewed", "comet-b");
        Files.move(b.privateKey(), a.privateKey(), StandardCopyOption.REPLACE_EXISTING);
        Files.move(b.certChain(), a.certChain(), StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(handshake(ca, port, "TLSv1.3").getSubjectX500Principal().getName()).isEqualTo("CN=comet-b"));
        assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=comet-b");
    }

    @Test
    void aBrokenRenewalKeepsTheCertificateInForceAndReloadTakesAGoodOneAtOnce() throws Exception {
        TestCa ca = TestCa.create(dir);
        TestCa.Issued a = ca.issue("server", "comet-b");
        tls = ServerTls.open("test", a.files(Duration.ZERO)); // no file watch: only reload() (SIGHUP) reloads
        int port = listen(tls);
        // a half-written key (or one of another certificate) is not taken: comet-b stays in force
        Files.writeString(a.privateKey(), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        assertThat(tls.reload()).isFalse();
        TestCa.Issued c = ca.issue("third", "comet-c");
        Files.copy(c.privateKey(), a.privateKey(), StandardCopyOption.REPLACE_EXISTING); // key of c, chain of b
        assertThat(tls.reload()).isFalse();
        assertThat(handshake(ca, port, "TLSv1.2").getSubjectX500Principal().getName()).isEqualTo("CN=comet-b");
        // the matching chain arrives: reload() takes it at once (what SIGHUP does)
        Files.copy(c.certChain(), a.certChain(), StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.reload()).isTrue();
        assertThat(handshake(ca, port, "TLSv1.3").getSubjectX500Principal().getName()).isEqualTo("CN=comet-c");
        assertThat(tls.reload()).as("unchanged files").isFalse();
    }

    @Test
    void badFilesFailAtOpenSayingWhatIsWrong() throws Exception {
        TestCa ca = TestCa.create(dir);
        TestCa.Issued a = ca.issue("a", "comet-a");
        TestCa.Issued b = ca.issue("b", "comet-b");
        assertThatThrownBy(() -> ServerTls.open("CometQL", new TlsFiles(a.certChain(), b.privateKey(), Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CometQL TLS").hasMessageContaining("does not belong").hasMessageContaining("CN=comet-a");
        assertThatThrownBy(() -> ServerTls.open("web", new TlsFiles(dir.resolve("missing.crt"), a.privateKey(), Duration.ZERO)))
                .hasMessageContaining("cannot read").hasMessageContaining("missing.crt");
        Path pkcs1 = dir.resolve("old.key");
        Files.writeString(pkcs1, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ServerTls.open("web", new TlsFiles(a.certChain(), pkcs1, Duration.ZERO)))
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> ServerTls.open("web", new TlsFiles(a.privateKey(), a.privateKey(), Duration.ZERO)))
                .hasMessageContaining("certificate");
    }
}
