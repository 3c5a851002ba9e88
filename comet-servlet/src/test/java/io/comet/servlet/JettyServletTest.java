package io.comet.servlet;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Comet mounted in embedded Jetty 12 (ee11: Servlet 6.1, Jakarta WebSocket 2.2). */
class JettyServletTest extends ServletContainerContract {

    private Server server;

    @Override
    int start(HttpServlet app, Installer install) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(CONTEXT);
        context.addServlet(new ServletHolder(app), "/hello");
        context.addServlet(new ServletHolder(app), "/chat.html");
        JakartaWebSocketServletContainerInitializer.configure(context, install::install);
        server.setHandler(context);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }
}
