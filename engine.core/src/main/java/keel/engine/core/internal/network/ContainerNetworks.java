package keel.engine.core.internal.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.NetworkingConfig;
import keel.engine.api.network.Sandbox;

/**
 * What the container lifecycle asks of the networks (registered as a service by {@code NetworkServiceComponent}):
 * Docker's daemon/container_operations.go seen from the container. Calls for one container come from its lifecycle
 * lock (create, start, stop, connect and disconnect through {@link NetworkedContainers#update}), never two at once.
 */
public interface ContainerNetworks {

    /**
     * At create: checks the network mode and {@code NetworkingConfig} and returns the networks to record for the
     * container (Docker's updateContainerNetworkSettings: the mode's network plus every endpoint asked, by name).
     *
     * @throws keel.engine.api.errors.EngineException NOT_FOUND for a network that does not exist, INVALID_PARAMETER
     *         for settings Docker refuses (an address or aliases on a predefined network, a bad address)
     */
    Map<String, EndpointSettings> plan(String containerName, ContainerConfig config, HostConfig hostConfig,
            NetworkingConfig networking);

    /**
     * At start: makes the container's sandbox (network namespace), an endpoint on each of its networks (address,
     * driver join, published ports on the first), and its embedded DNS server where a network has service
     * discovery. Everything is undone when a step fails.
     *
     * @throws keel.engine.api.errors.EngineException with Docker's "failed to set up container networking: ..."
     */
    Attached attach(Start start) throws IOException;

    /**
     * Ahead of a start: the container's own network namespace (loopback down), made before its networks are
     * joined because nothing else depends on it, so that the runtime can create the container in it early; the
     * {@link Start} then joins the networks in it. {@link #detach} removes it like any other.
     *
     * @return the namespace; one with a null path for the host's network; null when the mode cannot be prepared
     *         ({@code container:<x>}, whose namespace is x's at the time of the start)
     */
    Ahead prepare(String containerId, ContainerConfig config, HostConfig hostConfig) throws IOException;

    /**
     * At the end of a run (or a failed start): leaves every network, releases the addresses and host ports, stops
     * the DNS server, deletes the container's own sandbox (another container's is never touched). Best effort,
     * never throws.
     *
     * @return the networks with their run's data cleared (endpoint, address, gateway, MAC), as Docker keeps them
     */
    Map<String, EndpointSettings> detach(String containerId, Map<String, EndpointSettings> networks);

    /** {@code NetworkSettings.Ports} of a running container: exposed ports, with their bindings when published. */
    Map<String, List<HostConfig.PortBinding>> ports(String containerId, ContainerConfig config);

    /** {@code docker ps}'s ports of a container (running: with host ports; otherwise none). */
    List<ContainerSummary.Port> summaryPorts(String containerId, ContainerConfig config);

    /** What the container's /etc/hosts and /etc/resolv.conf are made from now. */
    EtcView etcView(String containerId, HostConfig hostConfig);

    /**
     * Once the containers are loaded at daemon start: the ones recorded running (before adoption) with their host
     * config. Endpoints of every other container are released; drivers restore the kernel side; DNS servers of the
     * running ones serve again.
     */
    void restore(Map<String, HostConfig> running);

    /** The container side, for connect, disconnect and {@code container:<name>}; null when it leaves. */
    void bind(NetworkedContainers containers);

    void unbind(NetworkedContainers containers);

    /** A running container was renamed: its name on its networks follows (DNS, inspect). */
    Map<String, EndpointSettings> renamed(String containerId, String oldName, String newName,
            Map<String, EndpointSettings> networks);

    /**
     * A start.
     *
     * @param networks the container's recorded networks ({@link #plan}'s, changed by connect and disconnect)
     */
    record Start(String containerId, String containerName, ContainerConfig config, HostConfig hostConfig,
            Map<String, EndpointSettings> networks, Ahead ahead) {

        public Start(String containerId, String containerName, ContainerConfig config, HostConfig hostConfig,
                Map<String, EndpointSettings> networks) {
            this(containerId, containerName, config, hostConfig, networks, null);
        }
    }

    /**
     * What {@link #prepare} made.
     *
     * @param netns   the namespace ({@code <exec-root>/netns/<id>}), null for the host's network
     * @param sandbox the namespace's handle, null for the host's network
     */
    record Ahead(Path netns, Sandbox sandbox) {}

    /**
     * A started run's network.
     *
     * @param netns          the namespace the container joins ({@code <exec-root>/netns/<id>} for its own); null
     *                       for the host's
     * @param sandbox        the container's own sandbox, or null (host, {@code container:})
     * @param networks       the endpoints, to record and show
     * @param sharedFilesDir for {@code container:<x>}: x's directory, whose hostname, hosts and resolv.conf the
     *                       container uses; null otherwise
     * @param etc            what its /etc files are made from (null with {@code sharedFilesDir})
     */
    record Attached(Path netns, Sandbox sandbox, String sandboxId, Map<String, EndpointSettings> networks,
            Path sharedFilesDir, EtcView etc) {}

    /**
     * What a container's /etc/hosts and /etc/resolv.conf are made from (libnetwork sandbox_dns_unix.go).
     *
     * @param addresses        the container's addresses, one hosts line each naming its hostname
     * @param internalResolver whether resolv.conf names the embedded DNS server (127.0.0.11) instead of the host's
     *                         nameservers: with a network that has service discovery
     * @param dns              {@code --dns} (the container's, else the daemon's)
     * @param hostGatewayIps   what {@code --add-host name:host-gateway} stands for: the default bridge's gateway
     */
    record EtcView(List<String> addresses, boolean internalResolver, List<String> dns, List<String> dnsSearch,
            List<String> dnsOptions, List<String> hostGatewayIps) {}
}
