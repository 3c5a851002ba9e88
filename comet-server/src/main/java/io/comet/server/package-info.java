/**
 * One entry point for a whole Comet server: {@link io.comet.server.CometServer#builder()} wires
 * the store, the engine, the browser listener and the CometQL listener; {@code start()} binds,
 * {@code close()} stops gracefully. Used by {@code comet-server.jar} (comet-launcher) and by
 * applications that embed Comet.
 */
package io.comet.server;
