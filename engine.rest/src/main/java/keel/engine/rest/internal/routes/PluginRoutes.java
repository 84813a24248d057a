package keel.engine.rest.internal.routes;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.node.ArrayNode;

import keel.engine.api.errors.EngineException;
import keel.engine.api.plugin.PluginInfo;
import keel.engine.api.plugin.PluginService;
import keel.engine.api.plugin.RemovalReport;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.Route;

/**
 * {@code /plugins/...}: operators install driver bundles into the running daemon with
 * {@code docker plugin create NAME DIR} (DIR holds the bundle jar and the config.json the CLI insists on), list,
 * inspect, enable, disable and remove them. Names may be given as {@code name}, {@code name:latest} or an ID
 * prefix, as with Docker.
 */
public final class PluginRoutes {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");
    private static final Set<String> FILTERS = Set.of("enabled", "capability");

    private final ServiceRef<PluginService> plugins;

    public PluginRoutes(ServiceRef<PluginService> plugins) {
        this.plugins = plugins;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/plugins", this::list),
                Route.post("/plugins/create", this::create),
                Route.get("/plugins/{name}/json", this::inspect),
                Route.post("/plugins/{name}/enable", this::enable),
                Route.post("/plugins/{name}/disable", this::disable),
                Route.delete("/plugins/{name}", this::remove));
    }

    /** Filters as dockerd accepts them for plugins: {@code enabled=true|false}, {@code capability=storagedriver}. */
    private void list(ApiRequest request, ApiResponse response) throws Exception {
        Map<String, List<String>> filters = request.filters();
        for (String key : filters.keySet()) {
            if (!FILTERS.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        Boolean enabled = null;
        for (String v : filters.getOrDefault("enabled", List.of())) {
            if (!v.equals("true") && !v.equals("false")) {
                throw EngineException.invalid("invalid filter 'enabled=" + v + "'");
            }
            enabled = Boolean.valueOf(v);
        }
        List<String> capabilities = filters.getOrDefault("capability", List.of());
        ArrayNode out = response.json().array();
        for (PluginInfo p : plugins.get().list()) {
            if (enabled != null && p.enabled() != enabled) {
                continue;
            }
            if (!capabilities.isEmpty() && PluginDocument.interfaceTypes(p.drivers()).stream()
                    .noneMatch(t -> capabilities.stream().anyMatch(c -> t.equals("keel." + c + "/1.0")))) {
                continue;
            }
            out.add(PluginDocument.of(p, response.json()));
        }
        response.json(200, out);
    }

    private void inspect(ApiRequest request, ApiResponse response) throws Exception {
        PluginService service = plugins.get();
        response.json(200, PluginDocument.of(service.inspect(resolve(service, request.variable("name"))),
                response.json()));
    }

    /**
     * The body is what {@code docker plugin create} sends (a tar of the plugin directory, gzip-compressed with
     * {@code --compress}) or a bare jar; the service takes a jar or a tar, so only gzip is undone here.
     */
    private void create(ApiRequest request, ApiResponse response) throws Exception {
        String name = request.param("name");
        if (name == null || name.isBlank()) {
            throw EngineException.invalid("plugin name is required: use name=NAME");
        }
        BufferedInputStream body = new BufferedInputStream(request.body(), 64 * 1024);
        InputStream bundle = body;
        body.mark(2);
        int b0 = body.read();
        int b1 = body.read();
        body.reset();
        if (b0 < 0) {
            throw EngineException.invalid("empty request body: send the plugin bundle (a jar) or a tar holding it");
        }
        if (b0 == 0x1f && b1 == 0x8b) {
            bundle = new GZIPInputStream(body, 64 * 1024);
        }
        plugins.get().install(local(name), bundle);
        // dockerd answers a create with 204 and no body; the CLI then prints the name.
        response.status(204);
    }

    private void enable(ApiRequest request, ApiResponse response) throws Exception {
        if (request.integer("timeout", 0) < 0) {
            throw EngineException.invalid("timeout must not be negative");
        }
        PluginService service = plugins.get();
        service.enable(resolve(service, request.variable("name")));
        response.status(200);
    }

    private void disable(ApiRequest request, ApiResponse response) throws Exception {
        request.bool("force", false);
        PluginService service = plugins.get();
        service.disable(resolve(service, request.variable("name")));
        response.status(200);
    }

    /**
     * dockerd answers 200 with no body. Keel also sends the removal report (the CLI ignores bodies here) and one
     * {@code Warning} header per thing left on disk, so a script sees that a storage driver's layers remain.
     */
    private void remove(ApiRequest request, ApiResponse response) throws Exception {
        boolean force = request.bool("force", false);
        PluginService service = plugins.get();
        RemovalReport report = service.remove(resolve(service, request.variable("name")), force);
        if (report.dataKept() != null) {
            for (String kept : report.dataKept()) {
                response.addHeader("Warning", "299 - \"" + headerSafe(kept) + "\"");
            }
        }
        response.json(200, report);
    }

    /** {@code name:latest} → {@code name}: Keel's plugin names have no tags. */
    static String local(String name) {
        return name.endsWith(PluginDocument.TAG) ? name.substring(0, name.length() - PluginDocument.TAG.length())
                : name;
    }

    /** A name, or, like Docker, an unambiguous prefix of a plugin's ID. */
    static String resolve(PluginService service, String name) {
        String local = local(name);
        if (!HEX.matcher(local).matches()) {
            return local;
        }
        List<String> byId = new ArrayList<>();
        for (PluginInfo p : service.list()) {
            if (p.name().equals(local)) {
                return local;
            }
            if (PluginDocument.id(p.name()).startsWith(local)) {
                byId.add(p.name());
            }
        }
        if (byId.size() > 1) {
            throw EngineException.invalid("plugin ID prefix " + local + " is ambiguous: it matches " + byId);
        }
        return byId.isEmpty() ? local : byId.get(0);
    }

    /** A header value is one line of visible ASCII; quotes and backslashes would end the quoted text. */
    private static String headerSafe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c < 0x20) {
                out.append(' ');
            } else if (c > 0x7e) {
                out.append('?');
            } else {
                out.append(c == '"' || c == '\\' ? '\'' : c);
            }
        }
        return out.toString();
    }
}
