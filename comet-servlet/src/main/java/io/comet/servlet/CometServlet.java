package io.comet.servlet;

import io.comet.core.engine.CometEngine;
import io.comet.transport.BrowserProtocol;
import io.comet.transport.WebConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mounts Comet's browser endpoints in an existing servlet web application, on the port and under
 * the context path it already serves: the WebSocket endpoint {@value #WS_PATH} (a
 * {@link CometEndpoint} per connection, through the container's Jakarta WebSocket support) and the
 * bundled client at {@code /comet.js} (also {@code /CometServerApi.js}, {@code /comet.mjs},
 * {@code /comet.d.ts}, {@code /comet.d.mts}). A page of the application then starts the client with
 * {@code node: location.host + contextPath}. The engine and its CometQL listener run as usual
 * (e.g. a {@code CometServer}); only the browsers' door moves.
 *
 * <p>Call {@link #install} while the context starts: from a {@code ServletContextListener}, a
 * {@code ServletContainerInitializer}, or Jetty's {@code JakartaWebSocketServletContainerInitializer.configure}
 * callback (comet-servlet README).
 */
public final class CometServlet {

    /** The WebSocket path template, relative to the context path. */
    public static final String WS_PATH = "/ws/{rest}";
    /** The client files' paths, relative to the context path. */
    public static final List<String> CLIENT_PATHS = List.of("/comet.js", "/CometServerApi.js", "/comet.mjs",
            "/comet.d.ts", "/comet.d.mts");

    static final String ORIGIN = "io.comet.servlet.origin";
    static final String USER_AGENT = "io.comet.servlet.userAgent";
    static final String LANGUAGE = "io.comet.servlet.language";

    private CometServlet() {
    }

    /**
     * Installs the WebSocket endpoint and the client files, finding the WebSocket container under
     * the context attribute {@code jakarta.websocket.server.ServerContainer}. Where the container
     * sets it up only in a context listener (Spring Boot's Tomcat, a {@code WsContextListener}),
     * the endpoint is added by a listener of ours that runs after it.
     *
     * @param context the starting servlet context
     * @param engine  the engine the browsers connect to
     * @param config  web settings: {@code hosts} (allowed origins) and {@code maxFramePayload} apply
     * @throws IllegalStateException if the container has no Jakarta WebSocket support or refuses the endpoint
     */
    public static void install(ServletContext context, CometEngine engine, WebConfig config) {
        ServerContainer now = container(context);
        if (now != null) {
            install(context, now, engine, config);
            return;
        }
        addClientFiles(context);
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent e) {
                ServerContainer later = container(e.getServletContext());
                if (later == null) {
                    throw new IllegalStateException("no Jakarta WebSocket container in servlet context "
                            + context.getContextPath() + " (attribute " + ServerContainer.class.getName()
                            + "): add the container's WebSocket support");
                }
                addEndpoint(later, engine, config);
            }
        });
    }

    private static ServerContainer container(ServletContext context) {
        return context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer sc ? sc : null;
    }

    /**
     * Installs the WebSocket endpoint on {@code container} and the client files on {@code context}.
     *
     * @param context   the starting servlet context
     * @param container its WebSocket container
     * @param engine    the engine the browsers connect to
     * @param config    web settings: {@code hosts} and {@code maxFramePayload} apply
     * @throws IllegalStateException if the container refuses the endpoint
     */
    public static void install(ServletContext context, ServerContainer container, CometEngine engine, WebConfig config) {
        addEndpoint(container, engine, config);
        addClientFiles(context);
    }

    private static void addEndpoint(ServerContainer container, CometEngine engine, WebConfig config) {
        try {
            container.addEndpoint(endpointConfig(engine, config));
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot deploy Comet's WebSocket endpoint at " + WS_PATH + ": " + e.getMessage(), e);
        }
    }

    private static void addClientFiles(ServletContext context) {
        context.addServlet("comet-client", new ClientFilesServlet()).addMapping(CLIENT_PATHS.toArray(String[]::new));
    }

    /**
     * The endpoint's configuration, for containers configured by hand.
     *
     * @param engine the engine the browsers connect to
     * @param config web settings: {@code hosts} and {@code maxFramePayload} apply
     * @return the configuration of {@value #WS_PATH}
     */
    public static ServerEndpointConfig endpointConfig(CometEngine engine, WebConfig config) {
        BrowserProtocol protocol = BrowserProtocol.of(Objects.requireNonNull(engine, "engine"), config);
        int maxMessage = config.maxFramePayload();
        return ServerEndpointConfig.Builder.create(CometEndpoint.class, WS_PATH).configurator(new ServerEndpointConfig.Configurator() {
            @Override
            public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
                Map<String, Object> p = sec.getUserProperties(); // a copy per connection (Jakarta WebSocket 2.1+)
                put(p, ORIGIN, request, "Origin");
                put(p, USER_AGENT, request, "User-Agent");
                put(p, LANGUAGE, request, "Accept-Language");
            }

            @Override
            public <T> T getEndpointInstance(Class<T> endpointClass) {
                return endpointClass.cast(new CometEndpoint(protocol, maxMessage));
            }
        }).build();
    }

    private static void put(Map<String, Object> props, String key, HandshakeRequest request, String header) {
        for (Map.Entry<String, List<String>> h : request.getHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase(header) && !h.getValue().isEmpty()) {
                props.put(key, h.getValue().get(0));
                return;
            }
        }
        props.remove(key);
    }
}
