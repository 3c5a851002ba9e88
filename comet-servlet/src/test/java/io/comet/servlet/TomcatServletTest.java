package io.comet.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.server.ServerContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/** Comet mounted in embedded Tomcat 11 (Servlet 6.1, Jakarta WebSocket 2.2). */
class TomcatServletTest extends ServletContainerContract {

    private Tomcat tomcat;

    @Override
    int start(HttpServlet app, Installer install) throws Exception {
        Path base = Files.createTempDirectory("comet-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext(CONTEXT, base.toString());
        // as a web app has: Tomcat's WebSocket filter runs only on a request mapped to a servlet
        Tomcat.addServlet(context, "default", new org.apache.catalina.servlets.DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        Tomcat.addServlet(context, "app", app);
        context.addServletMappingDecoded("/hello", "app");
        context.addServletMappingDecoded("/chat.html", "app");
        context.addServletContainerInitializer(new WsSci(), null); // Tomcat's WebSocket support
        context.addServletContainerInitializer((classes, sc) -> // runs after WsSci: the container is there
                install.install(sc, (ServerContainer) sc.getAttribute(ServerContainer.class.getName())), null);
        tomcat.start();
        return connector.getLocalPort();
    }

    @Override
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
