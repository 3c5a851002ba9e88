/** The Broker SPI (what crosses nodes) and {@link io.comet.core.broker.LocalBroker}, the single-node default. */
package io.comet.core.broker;
