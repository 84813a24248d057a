package keel.engine.core.internal.network;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.NetworkingConfig;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkCreateResult;
import keel.engine.api.network.NetworkDetails;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkService;
import keel.engine.api.network.SandboxFactory;
import keel.engine.core.internal.daemon.EngineConfig;

/**
 * Registers the engine's {@link NetworkService}, and {@link ContainerNetworks} for the container side, on a
 * {@link NetworkEngine}. Network drivers and the sandbox factory come and go with their bundles; a driver that
 * arrives after the containers were loaded restores its networks then.
 */
@Component(service = {NetworkService.class, ContainerNetworks.class}, configurationPid = EngineConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class NetworkServiceComponent implements NetworkService, ContainerNetworks {

    private final NetworkDrivers drivers = new NetworkDrivers();
    private volatile SandboxFactory sandboxFactory;
    private final NetworkEngine engine;

    @Activate
    public NetworkServiceComponent(EngineConfig config) throws IOException {
        engine = NetworkEngine.onThisHost(NetworkDefaults.of(config), drivers, () -> sandboxFactory);
        engine.open();
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Reference(name = "networkDriver", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNetworkDriver(NetworkDriver driver, Map<String, Object> props) {
        drivers.add(driver, props);
    }

    void removeNetworkDriver(NetworkDriver driver) {
        drivers.remove(driver);
    }

    @Reference(name = "sandboxFactory", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    void setSandboxFactory(SandboxFactory factory) {
        sandboxFactory = factory;
        engine.sandboxFactoryArrived();
    }

    void unsetSandboxFactory(SandboxFactory factory) {
        if (sandboxFactory == factory) {
            sandboxFactory = null;
        }
    }

    // ---- NetworkService

    @Override
    public NetworkCreateResult create(NetworkCreateRequest request) {
        return engine.create(request);
    }

    @Override
    public List<NetworkDetails> list(Map<String, List<String>> filters) {
        return engine.list(filters);
    }

    @Override
    public NetworkDetails inspect(String network) {
        return engine.inspect(network);
    }

    @Override
    public void remove(String network) {
        engine.remove(network);
    }

    @Override
    public List<String> prune(Map<String, List<String>> filters) {
        return engine.prune(filters);
    }

    @Override
    public void connect(String network, String container, EndpointSettings endpoint) {
        engine.connect(network, container, endpoint);
    }

    @Override
    public void disconnect(String network, String container, boolean force) {
        engine.disconnect(network, container, force);
    }

    // ---- ContainerNetworks

    @Override
    public Map<String, EndpointSettings> plan(String containerName, ContainerConfig config, HostConfig hostConfig,
            NetworkingConfig networking) {
        return engine.plan(containerName, config, hostConfig, networking);
    }

    @Override
    public Attached attach(Start start) throws IOException {
        return engine.attach(start);
    }

    @Override
    public Ahead prepare(String containerId, ContainerConfig config, HostConfig hostConfig) throws IOException {
        return engine.prepare(containerId, config, hostConfig);
    }

    @Override
    public Map<String, EndpointSettings> detach(String containerId, Map<String, EndpointSettings> networks) {
        return engine.detach(containerId, networks);
    }

    @Override
    public Map<String, List<HostConfig.PortBinding>> ports(String containerId, ContainerConfig config) {
        return engine.ports(containerId, config);
    }

    @Override
    public List<ContainerSummary.Port> summaryPorts(String containerId, ContainerConfig config) {
        return engine.summaryPorts(containerId, config);
    }

    @Override
    public EtcView etcView(String containerId, HostConfig hostConfig) {
        return engine.etcView(containerId, hostConfig);
    }

    @Override
    public void restore(Map<String, HostConfig> running) {
        engine.restore(running);
    }

    @Override
    public void bind(NetworkedContainers containers) {
        engine.bind(containers);
    }

    @Override
    public void unbind(NetworkedContainers containers) {
        engine.unbind(containers);
    }

    @Override
    public Map<String, EndpointSettings> renamed(String containerId, String oldName, String newName,
            Map<String, EndpointSettings> networks) {
        return engine.renamed(containerId, oldName, newName, networks);
    }
}
