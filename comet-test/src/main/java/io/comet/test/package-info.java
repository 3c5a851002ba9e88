/**
 * Comet's JUnit 5 test kit: {@link io.comet.test.CometServerExtension} runs a whole Comet server
 * on ephemeral ports for a test class or a test and hands out the clients of
 * {@code io.comet.test.client}; after each test it checks that no session or connection was left.
 */
package io.comet.test;
