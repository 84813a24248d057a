package keel.engine.core.internal.container;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.NetworkingConfig;
import keel.engine.core.internal.network.ContainerNetworks;
import keel.engine.core.internal.network.NetworkEngine;

/**
 * A container's networks, as the lifecycle sees them: planned at create, attached at start (sandbox, endpoints,
 * published ports, DNS), detached at the end of a run, restored after a daemon restart. The work is the network
 * service's ({@link ContainerNetworks}); this class binds the containers to it for {@code network connect} and
 * {@code --network container:<x>} ({@link ContainerNetworkAccess}).
 */
final class ContainerNetworking {

    private final ContainerNetworks networks;
    private final ContainerNetworkAccess access;

    ContainerNetworking(ContainerNetworks networks, ContainerEngine engine) {
        this.networks = networks;
        this.access = new ContainerNetworkAccess(engine);
        networks.bind(access);
    }

    /** Stops serving connect and disconnect (the engine is closing). */
    void close() {
        networks.unbind(access);
    }

    /** The network mode as stored: empty and {@code default} are Docker's default network, {@code bridge}. */
    static String normalize(String mode) {
        return NetworkEngine.normalize(mode);
    }

    static boolean isHost(String mode) {
        return "host".equals(mode);
    }

    /** At create: the networks to record (checked: a network that does not exist is NOT_FOUND). */
    Map<String, EndpointSettings> plan(String name, ContainerConfig config, HostConfig hc, NetworkingConfig nc) {
        return new LinkedHashMap<>(networks.plan(name, config, hc, nc));
    }

    /** At start: the sandbox ({@code ahead}'s when it was made ahead, else a new one) joined to the networks. */
    ContainerNetworks.Attached setUp(String id, String name, ContainerConfig config, HostConfig hc,
            Map<String, EndpointSettings> recorded, ContainerNetworks.Ahead ahead) throws IOException {
        return networks.attach(new ContainerNetworks.Start(id, name, config, hc, recorded, ahead));
    }

    /** Ahead of a start: the container's own namespace; null when its mode cannot be prepared. */
    ContainerNetworks.Ahead prepare(String id, ContainerConfig config, HostConfig hc) throws IOException {
        return networks.prepare(id, config, hc);
    }

    /** Undoes {@link #setUp}; returns the networks to record from then on (the run's data cleared). */
    Map<String, EndpointSettings> tearDown(String id, Map<String, EndpointSettings> recorded) {
        return new LinkedHashMap<>(networks.detach(id, recorded));
    }

    /** The running containers at daemon start (before adoption), with their host configs. */
    void restore(List<ContainerRecord> running) {
        Map<String, HostConfig> byId = new HashMap<>();
        for (ContainerRecord r : running) {
            synchronized (r) {
                byId.put(r.id, r.hostConfig);
            }
        }
        networks.restore(byId);
    }

    Map<String, List<HostConfig.PortBinding>> ports(String id, ContainerConfig config) {
        return networks.ports(id, config);
    }

    List<ContainerSummary.Port> summaryPorts(String id, ContainerConfig config) {
        return networks.summaryPorts(id, config);
    }

    ContainerNetworks.EtcView etcView(String id, HostConfig hc) {
        return networks.etcView(id, hc);
    }

    Map<String, EndpointSettings> renamed(String id, String oldName, String newName,
            Map<String, EndpointSettings> recorded) {
        return new LinkedHashMap<>(networks.renamed(id, oldName, newName, recorded));
    }
}
