package keel.engine.core.internal.container;

import java.util.Map;
import java.util.concurrent.Future;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.core.internal.network.ContainerNetworks;

/**
 * A container's first start, made ahead. {@code docker run} creates a container, then attaches, asks to wait and
 * only then starts it: milliseconds in which the daemon has nothing to do. The engine uses them to mount the root
 * filesystem, make the network namespace, write the /etc files, the spec and the bundle, and have the runtime
 * create the container with its process held before the executable (OCI create). The start then only joins the
 * networks, rewrites hosts and resolv.conf with the addresses, and lets the process go.
 *
 * <p>Nothing of it shows through the API until the start: the record still says "created", the networks have no
 * endpoint. It is thrown away (the start then does the work itself) when the container changed meanwhile (rename,
 * update, network connect), when it is removed, when the daemon stops, and when no start came in
 * {@link ContainerSettings#prepareAheadMillis}: a container that is only created holds no process for long.
 *
 * <p>Made, taken and thrown away under the container's {@code op} lock.
 */
final class PreparedStart {

    /** The run, with its runtime and the runtime's created container ({@link Run#created}). */
    final Run run;
    final ContainerNetworks.Ahead network;
    final ContainerSpecs.EtcPaths etc;
    /** What the preparation was made from: a start of anything else does not use it. */
    private final String name;
    private final ContainerConfig config;
    private final HostConfig hostConfig;
    private final Map<String, EndpointSettings> networks;
    /** Throws it away when no start came in time. */
    Future<?> expiry;

    PreparedStart(Run run, ContainerNetworks.Ahead network, ContainerSpecs.EtcPaths etc, String name,
            ContainerConfig config, HostConfig hostConfig, Map<String, EndpointSettings> networks) {
        this.run = run;
        this.network = network;
        this.etc = etc;
        this.name = name;
        this.config = config;
        this.hostConfig = hostConfig;
        this.networks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks));
    }

    /**
     * Whether a start of {@code r} now, with {@code rt} as its runtime, can use this: nothing it was made from has
     * changed (the records are immutable: a change replaces them). Under {@code synchronized (r)}.
     */
    boolean fits(ContainerRecord r, ContainerRuntime rt) {
        return rt == run.runtime && r.config == config && r.hostConfig == hostConfig && name.equals(r.name)
                && networks.equals(r.networks) && r.runGeneration + 1 == run.generation;
    }
}
