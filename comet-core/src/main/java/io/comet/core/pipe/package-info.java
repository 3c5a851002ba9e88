/** The pipe registry of one node: subscribers per pipe, member lists, counts, local fan-out. */
package io.comet.core.pipe;
