/**
 * comet-bench: a black-box load generator and benchmark for Comet and any server that speaks
 * the same two protocols (the original CppComet included). Browser tabs are simulated on Netty
 * exactly as {@code CometServerApi.js} 4.08 behaves on the wire (client-protocol.md §1.2–1.7);
 * backends publish through CometQL over JDBC or a minimal MySQL client (cometql.md §1, §3.1,
 * §3.5, §3.7). {@link io.comet.bench.BenchMain} is the command line; scenarios, profiles and
 * reports are described in the module's README.
 */
package io.comet.bench;
