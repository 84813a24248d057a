package keel.engine.rest.internal;

import java.util.function.Supplier;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;

import keel.engine.api.container.ContainerService;
import keel.engine.api.image.ImageService;
import keel.engine.api.network.NetworkService;
import keel.engine.api.plugin.PluginService;
import keel.engine.api.system.SystemService;
import keel.engine.rest.internal.http.DockerApiHandler;
import keel.engine.rest.internal.http.DockerErrorHandler;
import keel.engine.rest.internal.http.Router;
import keel.engine.rest.internal.json.DockerJson;
import keel.engine.rest.internal.routes.ContainerRoutes;
import keel.engine.rest.internal.routes.ExecRoutes;
import keel.engine.rest.internal.routes.ImageRoutes;
import keel.engine.rest.internal.routes.NetworkRoutes;
import keel.engine.rest.internal.routes.PluginRoutes;
import keel.engine.rest.internal.routes.ServiceRef;
import keel.engine.rest.internal.routes.SystemRoutes;

/**
 * The Docker Engine API over the engine's services, each read per request so that a service may come and go: the
 * request handler and the handler of errors Jetty raises before a request reaches it.
 */
public final class DockerApi {
    private final Handler handler;
    private final Request.Handler errorHandler;

    public DockerApi(Supplier<SystemService> system, Supplier<ImageService> images, Supplier<PluginService> plugins,
            Supplier<ContainerService> containers, Supplier<NetworkService> networks) {
        ServiceRef<ContainerService> containerRef = new ServiceRef<>(containers,
                "containers are not available: the container service is not running");
        Router router = new Router()
                .add(new SystemRoutes(new ServiceRef<>(system, "the engine is not available")).routes())
                .add(new ImageRoutes(new ServiceRef<>(images,
                        "images are not available: the image service is not running (is a storage driver "
                                + "installed?)")).routes())
                .add(new PluginRoutes(new ServiceRef<>(plugins,
                        "plugins are not available: the plugin service is not running")).routes())
                .add(new ContainerRoutes(containerRef).routes())
                .add(new ExecRoutes(containerRef).routes())
                .add(new NetworkRoutes(new ServiceRef<>(networks,
                        "networks are not available: the network service is not running")).routes());
        DockerJson json = new DockerJson();
        EngineVersion version = new EngineVersion(system);
        handler = new DockerApiHandler(router, json, version);
        errorHandler = new DockerErrorHandler(json, version);
    }

    public Handler handler() {
        return handler;
    }

    public Request.Handler errorHandler() {
        return errorHandler;
    }

    /**
     * The engine version for the {@code Server} header of every response, asked of the SystemService once per
     * service instance rather than per request.
     */
    static final class EngineVersion implements Supplier<String> {
        private final Supplier<SystemService> system;
        private volatile SystemService askedOf;
        private volatile String version = "unknown";

        EngineVersion(Supplier<SystemService> system) {
            this.system = system;
        }

        @Override
        public String get() {
            SystemService s = system.get();
            if (s != null && s != askedOf) {
                String v;
                try {
                    v = s.version().version();
                } catch (RuntimeException e) {
                    v = null;
                }
                version = v == null || v.isBlank() ? "unknown" : v;
                askedOf = s;
            }
            return version;
        }
    }
}
