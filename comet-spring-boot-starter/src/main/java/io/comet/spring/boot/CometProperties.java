package io.comet.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code comet.*} properties of a Spring Boot application (see the module README for each
 * with its default); what {@link CometAutoConfiguration} gives {@code CometServer.builder()}.
 *
 * @param password        CometQL password (user {@code root}) and JWT secret prefix; without one a password is
 *                        generated at start and shown once in the start log
 * @param ip              address both Comet listeners bind to
 * @param webPort         Comet's own HTTP/WebSocket port, 0 = any free port
 * @param cometqlPort     the CometQL (MySQL protocol) port, 0 = any free port
 * @param baseDir         static files served on Comet's own port, null for none
 * @param webThreads      event-loop threads of Comet's own port, 0 = one per core
 * @param shutdownTimeout deadline of the graceful stop when the application context closes
 * @param servlet         the browser endpoint on the application's own port
 */
@ConfigurationProperties("comet")
public record CometProperties(String password, @DefaultValue("0.0.0.0") String ip, @DefaultValue("8087") int webPort,
                              @DefaultValue("3300") int cometqlPort, Path baseDir, @DefaultValue("0") int webThreads,
                              @DefaultValue("10s") Duration shutdownTimeout, @DefaultValue Servlet servlet) {

    /**
     * {@code comet.servlet.*}: Comet's WebSocket endpoint and {@code /comet.js} mounted on the
     * application's servlet container (comet-servlet), next to its controllers.
     *
     * @param enabled whether to mount them (only in a servlet web application)
     */
    public record Servlet(@DefaultValue("true") boolean enabled) {
    }
}
