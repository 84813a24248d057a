package keel.engine.rest.internal.routes;

import java.util.List;

import keel.engine.api.system.SystemService;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.Route;

/** {@code /_ping}, {@code /version}, {@code /info}. */
public final class SystemRoutes {
    private final ServiceRef<SystemService> system;

    public SystemRoutes(ServiceRef<SystemService> system) {
        this.system = system;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/_ping", this::ping),
                Route.head("/_ping", this::ping),
                Route.get("/version", this::version),
                Route.get("/info", this::info));
    }

    /**
     * The CLI pings before anything else and reads the headers: Api-Version to negotiate, Builder-Version 1 (the
     * classic builder, no BuildKit), Swarm inactive. It must answer even while the engine's services are away.
     */
    private void ping(ApiRequest request, ApiResponse response) throws Exception {
        response.header("Builder-Version", "1");
        response.header("Swarm", "inactive");
        response.header("Cache-Control", "no-cache, no-store, must-revalidate");
        response.header("Pragma", "no-cache");
        if (request.method().equals("HEAD")) {
            response.header("Content-Type", "text/plain; charset=utf-8");
            response.header("Content-Length", "0");
            response.status(200);
            return;
        }
        response.text(200, "OK");
    }

    private void version(ApiRequest request, ApiResponse response) throws Exception {
        response.json(200, VersionDocument.of(system.get().version(), response.json()));
    }

    private void info(ApiRequest request, ApiResponse response) throws Exception {
        response.json(200, InfoDocument.of(system.get().info(), response.json()));
    }
}
