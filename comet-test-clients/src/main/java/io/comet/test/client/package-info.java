/**
 * Test clients that speak Comet's real protocols — {@link io.comet.test.client.CometWsClient}
 * (the browser protocol of docs/client-protocol.md, as {@code CometServerApi.js} 4.08 speaks it),
 * {@link io.comet.test.client.CometQlClient} (CometQL over MySQL Connector/J) and
 * {@link io.comet.test.client.ChromiumBrowser} (the real browser clients) — with
 * {@link io.comet.test.client.Waits}, {@link io.comet.test.client.LeakDetectionExtension} and
 * {@link io.comet.test.client.Prerequisites}. The server side is {@code io.comet.test} (comet-test).
 */
package io.comet.test.client;
