package keel.engine.core.internal.container;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import keel.engine.api.container.EndpointSettings;
import keel.engine.api.errors.EngineException;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.engine.api.network.SandboxFactory;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.layer.Digests;

/**
 * A container's network for a run, for the modes that exist so far:
 * <ul>
 * <li>{@code host}: the host's namespace, nothing to make;</li>
 * <li>{@code none}: a namespace of its own (a {@link Sandbox}) joined to the {@code none} network driver, which
 * brings loopback up;</li>
 * <li>{@code bridge} / {@code default}: behave as {@code none} until a bridge driver exists (create warns).</li>
 * </ul>
 * The built-in networks' IDs are derived from their names, so they are stable without a network store.
 */
final class ContainerNetworking {

    private static final System.Logger LOG = System.getLogger(ContainerNetworking.class.getName());

    static final String BRIDGE_WARNING = "bridge networking is not available yet: the container gets a network "
            + "namespace with only a loopback interface, as with --network none";

    private final Drivers<NetworkDriver> drivers;
    private final Supplier<SandboxFactory> sandboxes;

    ContainerNetworking(Drivers<NetworkDriver> drivers, Supplier<SandboxFactory> sandboxes) {
        this.drivers = drivers;
        this.sandboxes = sandboxes;
    }

    /** The network mode as stored: empty and {@code default} are Docker's default network, {@code bridge}. */
    static String normalize(String mode) {
        return mode == null || mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
    }

    /**
     * Checks a mode at create; returns a warning or null.
     *
     * @throws EngineException NOT_FOUND for a network that does not exist, NOT_IMPLEMENTED for modes not built yet
     */
    static String check(String mode) {
        switch (mode) {
            case "host", "none":
                return null;
            case "bridge":
                return BRIDGE_WARNING;
            default:
                if (mode.startsWith("container:")) {
                    throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                            "network mode " + mode + " is not supported yet");
                }
                throw EngineException.notFound("network " + mode + " not found");
        }
    }

    static boolean isHost(String mode) {
        return "host".equals(mode);
    }

    static String networkId(String name) {
        return Digests.hex(Digests.of(("keel:network:" + name).getBytes(StandardCharsets.UTF_8)));
    }

    /** The network of a run: a sandbox (none for the host's network) and the endpoint settings to show. */
    record Attached(Path netns, Sandbox sandbox, String sandboxId, Map<String, EndpointSettings> networks) {}

    Attached setUp(String containerId, String containerName, String mode, Path netns) throws IOException {
        String endpointId = AtomicFiles.randomHex();
        Map<String, EndpointSettings> networks = new LinkedHashMap<>();
        networks.put(mode, endpoint(mode, endpointId));
        if (isHost(mode)) {
            return new Attached(null, null, AtomicFiles.randomHex(), networks);
        }
        SandboxFactory factory = sandboxes.get();
        if (factory == null) {
            throw EngineException.unavailable("cannot create the network namespace of the container: no sandbox "
                    + "factory is registered (it comes with the native runtime bundle)");
        }
        NetworkDriver none = drivers.get("none");
        if (none == null) {
            throw EngineException.unavailable("network driver none is not available: no network driver of that "
                    + "name is registered");
        }
        Files.createDirectories(netns.getParent());
        Sandbox sandbox = factory.create(containerId, netns);
        try {
            none.join(noneNetwork(), endpointSpec(endpointId, containerId, containerName), sandbox);
        } catch (IOException | RuntimeException e) {
            try {
                factory.delete(netns);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new Attached(netns, sandbox, AtomicFiles.randomHex(), networks);
    }

    /** Undoes {@link #setUp}; safe when the sandbox is already gone, or after a daemon restart (sandbox null). */
    void tearDown(String containerId, String containerName, Map<String, EndpointSettings> networks, Path netns,
            Sandbox sandbox) {
        if (netns == null) {
            return;
        }
        SandboxFactory factory = sandboxes.get();
        NetworkDriver none = drivers.get("none");
        Sandbox sb = sandbox;
        try {
            if (sb == null && factory != null) {
                Optional<Sandbox> opened = factory.open(containerId, netns);
                sb = opened.orElse(null);
            }
            if (none != null && sb != null) {
                String endpointId = networks.values().stream().map(EndpointSettings::endpointID)
                        .filter(e -> e != null && !e.isEmpty()).findFirst().orElse("");
                none.leave(noneNetwork(), endpointSpec(endpointId, containerId, containerName), sb);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "leaving the network of container " + containerId + " failed", e);
        }
        try {
            if (factory != null) {
                factory.delete(netns);
            } else if (Files.exists(netns)) {
                LOG.log(Level.WARNING, "the network namespace {0} stays: no sandbox factory is registered", netns);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "removing the network namespace of container " + containerId + " failed", e);
        }
    }

    private static NetworkSpec noneNetwork() {
        return new NetworkSpec(networkId("none"), "none", "none", Map.of(), List.of(), false, Map.of());
    }

    private static keel.engine.api.network.EndpointSpec endpointSpec(String endpointId, String containerId,
            String containerName) {
        String name = containerName != null && containerName.startsWith("/") ? containerName.substring(1)
                : containerName;
        return new keel.engine.api.network.EndpointSpec(endpointId, containerId, name, null, null, List.of(),
                List.of());
    }

    /** Docker's endpoint as inspect shows it on a network without addresses. */
    private static EndpointSettings endpoint(String network, String endpointId) {
        return new EndpointSettings(null, null, "", null, null, networkId(network), endpointId, "", "", 0, "", "", 0,
                null);
    }
}
