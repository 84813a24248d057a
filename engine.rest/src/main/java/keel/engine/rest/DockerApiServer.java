package keel.engine.rest;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import keel.engine.api.container.ContainerService;
import keel.engine.api.image.ImageService;
import keel.engine.api.network.NetworkService;
import keel.engine.api.plugin.PluginService;
import keel.engine.api.system.SystemService;
import keel.engine.rest.internal.DockerApi;
import keel.engine.rest.internal.server.ApiServer;
import keel.engine.rest.internal.server.ListenAddress;

/**
 * Serves the Docker Engine API while the engine's SystemService is there. Images, plugins, containers and
 * networks are dynamic and optional: when their bundle is updated or a driver is missing, their routes answer 503
 * and the socket stays up ({@code docker version} and {@code /_ping} keep working).
 */
@Component(service = {}, immediate = true, configurationPid = "keel.api",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ApiConfig.class)
public final class DockerApiServer {

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile SystemService system;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ImageService images;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PluginService plugins;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ContainerService containers;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile NetworkService networks;

    private ApiServer server;

    @Activate
    void activate(ApiConfig config) throws Exception {
        List<ListenAddress> addresses = new ArrayList<>();
        for (String host : config.hosts()) {
            addresses.add(ListenAddress.parse(host));
        }
        DockerApi api = new DockerApi(() -> system, () -> images, () -> plugins, () -> containers,
                () -> networks);
        server = new ApiServer(addresses, config.socket_group(), api.handler(), api.errorHandler());
        server.start();
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
