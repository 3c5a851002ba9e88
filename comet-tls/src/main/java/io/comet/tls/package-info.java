/**
 * TLS of Comet's listeners (the browser port and CometQL): {@link io.comet.tls.TlsFiles} names a
 * PEM certificate chain and key, {@link io.comet.tls.ServerTls} turns them into Netty
 * {@code SslHandler}s (TLS 1.2 and 1.3 only) and reloads them when the files change.
 */
package io.comet.tls;
