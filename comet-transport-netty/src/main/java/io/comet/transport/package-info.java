/**
 * The browser transport of Comet on Netty: one port serving HTTP, WebSocket and long-poll,
 * wire-compatible with the original {@code CometServerApi.js} v3.25/v4.08
 * ({@code ../../../../../../../docs/client-protocol.md}). Public API: {@link io.comet.transport.CometWebServer},
 * {@link io.comet.transport.WebConfig} and {@link io.comet.transport.HttpEndpoint}; everything
 * else is package-private. Long-poll is described in {@code LONGPOLL.md} of this module.
 */
package io.comet.transport;
