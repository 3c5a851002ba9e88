/**
 * Spring Boot auto-configuration of Comet ({@link io.comet.spring.boot.CometAutoConfiguration}) and
 * its {@code comet.*} properties ({@link io.comet.spring.boot.CometProperties}).
 */
package io.comet.spring.boot;
