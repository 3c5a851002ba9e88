/**
 * Comet's browser door in a servlet container: {@link io.comet.servlet.CometServlet#install} mounts
 * the WebSocket endpoint and the bundled client in an existing web application, speaking the
 * protocol of {@link io.comet.transport.BrowserProtocol}.
 */
package io.comet.servlet;
