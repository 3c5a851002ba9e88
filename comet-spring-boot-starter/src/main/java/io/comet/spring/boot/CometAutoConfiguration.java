package io.comet.spring.boot;

import io.comet.core.engine.CometEngine;
import io.comet.core.store.Store;
import io.comet.server.CometServer;
import io.comet.server.CometServerBuilder;
import io.comet.servlet.CometServlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot auto-configuration of Comet: a running {@link CometServer} (engine, Comet's own
 * WebSocket/HTTP port, the CometQL port, memory store or the application's {@link Store} bean)
 * built from {@link CometProperties}, closed with the context; its {@link CometEngine} as a bean
 * for controllers and services to publish through; and, in a servlet web application, Comet's
 * WebSocket endpoint and {@code /comet.js} on the application's own port ({@link CometServlet}).
 * Each bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(CometServer.class)
@EnableConfigurationProperties(CometProperties.class)
public class CometAutoConfiguration {

    /** Used by Spring. */
    public CometAutoConfiguration() {
    }

    /**
     * The server, started.
     *
     * @param p     the {@code comet.*} properties
     * @param store the application's store, if it defines one
     * @return the running server (closed with the context)
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public CometServer cometServer(CometProperties p, ObjectProvider<Store> store) {
        CometServerBuilder b = CometServer.builder().ip(p.ip()).webPort(p.webPort()).cometqlPort(p.cometqlPort())
                .webThreads(p.webThreads()).shutdownTimeout(p.shutdownTimeout());
        if (p.password() != null && !p.password().isEmpty()) {
            b.password(p.password());
        }
        if (p.baseDir() != null) {
            b.baseDir(p.baseDir());
        }
        store.ifAvailable(b::store);
        return b.start();
    }

    /**
     * The server's engine: publish, send private messages, look at pipes and sessions in-process.
     *
     * @param server the server
     * @return its engine
     */
    @Bean
    @ConditionalOnMissingBean
    public CometEngine cometEngine(CometServer server) {
        return server.engine();
    }

    /** The browser endpoint on the application's servlet container. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(value = {CometServlet.class, ServletContextInitializer.class}, name = "jakarta.websocket.server.ServerContainer")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnProperty(prefix = "comet.servlet", name = "enabled", matchIfMissing = true)
    public static class ServletMount {

        /** Used by Spring. */
        public ServletMount() {
        }

        /**
         * Installs {@link CometServlet} as the application's servlet context starts.
         *
         * @param server the server whose engine and web settings apply
         * @return the initializer
         */
        @Bean
        public ServletContextInitializer cometServletInitializer(CometServer server) {
            return context -> CometServlet.install(context, server.engine(), server.web().config());
        }
    }
}
