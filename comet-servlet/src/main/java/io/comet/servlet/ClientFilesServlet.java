package io.comet.servlet;

import io.comet.transport.CometWebServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The bundled browser client's files (comet-transport-netty's resources), read once, served as the Netty listener serves them. */
final class ClientFilesServlet extends HttpServlet {

    private static final String DIR = CometWebServer.CLIENT_SCRIPT.substring(0, CometWebServer.CLIENT_SCRIPT.lastIndexOf('/') + 1);

    private final transient Map<String, byte[]> files = new HashMap<>();

    ClientFilesServlet() {
        for (String name : new String[] {"comet.js", "comet.mjs", "comet.d.ts", "comet.d.mts"}) {
            try (InputStream in = ClientFilesServlet.class.getClassLoader().getResourceAsStream(DIR + name)) {
                if (in != null) {
                    files.put(name, in.readAllBytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath();
        String name = path.equals("/CometServerApi.js") ? "comet.js" : path.substring(path.lastIndexOf('/') + 1);
        byte[] body = files.get(name);
        if (body == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        resp.setContentType(name.endsWith(".js") ? "application/javascript; charset=UTF-8"
                : name.endsWith(".mjs") ? "text/javascript; charset=UTF-8" : "application/typescript; charset=UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
