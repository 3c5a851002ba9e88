/**
 * Compact JSON as Comet's wire formats need it: sorted keys, no whitespace, apostrophes as
 * {@code \u0027} (client-protocol.md §1.5, §4.14), and a small strict parser for JWT payloads
 * and client commands.
 */
package io.comet.core.json;
