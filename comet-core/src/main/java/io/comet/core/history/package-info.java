/** History: which pipes keep it (settings cache, {@code trust_*}), and the stream log with positions. */
package io.comet.core.history;
