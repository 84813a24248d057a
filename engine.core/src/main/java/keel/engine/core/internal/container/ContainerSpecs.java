package keel.engine.core.internal.container;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.oci.Process;
import keel.engine.api.oci.Spec;
import keel.engine.core.internal.network.ContainerNetworks;
import keel.engine.core.internal.container.spec.SpecRequest;

/**
 * What the container lifecycle needs from the OCI spec side (package {@code container.spec}): checking a create
 * request, a container's default hostname, writing its hostname/hosts/resolv.conf, building its runtime spec, and
 * the process of an exec. An interface, so lifecycle tests can run without the real builder; {@link SpecBridge} is
 * the real one.
 */
interface ContainerSpecs {

    /**
     * Checks a create request's config and host config.
     *
     * @return warnings for the client (e.g. a limit the kernel does not support)
     * @throws keel.engine.api.errors.EngineException INVALID_PARAMETER with Docker's message
     */
    List<String> validate(ContainerConfig config, HostConfig hostConfig);

    /** The hostname of a container whose config names none: the host's with the host network, else the short ID. */
    String defaultHostname(String containerId, ContainerConfig config, HostConfig hostConfig);

    /** Writes hostname, hosts and resolv.conf into {@code containerDir} before a start; returns their paths. */
    EtcPaths writeEtcFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir) throws IOException;

    /**
     * Writes hostname, hosts and resolv.conf before a start with what the container's networks say (its
     * addresses, the embedded DNS server, the DNS settings in force).
     */
    default EtcPaths writeEtcFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir,
            ContainerNetworks.EtcView network) throws IOException {
        return writeEtcFiles(config, hostConfig, containerDir);
    }

    /**
     * A start joined the networks of a container whose files were written ahead of it ({@link #writeEtcFiles}
     * with no addresses): hosts and resolv.conf as {@code writeEtcFiles} would write them now, in place.
     */
    default void rewriteNetworkFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir,
            ContainerNetworks.EtcView network) throws IOException {
        writeEtcFiles(config, hostConfig, containerDir, network);
    }

    /** A running container's networks changed: its hosts and resolv.conf follow, in place. */
    default void updateNetworkFiles(ContainerConfig config, HostConfig hostConfig, Path containerDir,
            ContainerNetworks.EtcView network) throws IOException {}

    /** The container's OCI runtime spec (groups of {@code --group-add} are resolved here). */
    Spec build(SpecRequest request) throws IOException;

    /**
     * The spec of a container on another's network ({@code --network container:<x>}): x's hostname, hosts and
     * resolv.conf, from {@code networkFilesDir}, are bind-mounted instead of its own.
     */
    default Spec build(SpecRequest request, Path networkFilesDir) throws IOException {
        return build(request);
    }

    /**
     * The process of {@code docker exec}: the container's spec process with the exec's arguments, environment,
     * user, working directory, terminal and privileges.
     *
     * @throws keel.engine.api.errors.EngineException INVALID_PARAMETER for a user that does not resolve
     */
    Process execProcess(Spec containerSpec, ExecConfig exec, Path rootfs, ContainerConfig config,
            HostConfig hostConfig);

    /**
     * Checks that {@code user} resolves in the container ({@code docker exec -u} is checked at create).
     *
     * @throws keel.engine.api.errors.EngineException INVALID_PARAMETER with Docker's message
     */
    void checkUser(String user, Path rootfs);

    /** The files {@link #writeEtcFiles} wrote (null for one it did not write). */
    record EtcPaths(Path hostname, Path hosts, Path resolvConf) {

        /** Another container's files ({@code --network container:<x>}). */
        static EtcPaths in(Path dir) {
            return new EtcPaths(dir.resolve("hostname"), dir.resolve("hosts"), dir.resolve("resolv.conf"));
        }
    }
}
