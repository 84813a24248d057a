package keel.engine.core.internal.container.spec;

import java.nio.file.Path;
import java.util.List;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig;

/**
 * Everything a container's OCI runtime spec depends on, gathered by the container lifecycle before a start.
 *
 * @param containerId   the full container ID (64 hex)
 * @param config        the container's config, already merged with its image's (Cmd/Entrypoint/Env/User/...)
 * @param hostConfig    the container's host config as created (validated)
 * @param rootfs        the mounted root filesystem (users and groups are resolved from its /etc files; missing
 *                      working directories and mount points are created in it, as Docker does)
 * @param containerDir  {@code <data-root>/containers/<id>}: holds hostname, hosts and resolv.conf, bind-mounted
 *                      into the container
 * @param network       the network namespace to use: {@link NetworkNamespace#host()} shares the host's, otherwise
 *                      the path of a namespace made for the container (or another container's, for
 *                      {@code --network container:x})
 * @param initBinary    the host path of the init binary for {@code --init} (tini-static), or null
 * @param cgroupsPath   where the runtime puts the container's cgroups, e.g. {@code /keel/<id>}
 * @param extraGroups   additional group IDs already resolved from {@code --group-add}
 */
public record SpecRequest(String containerId, ContainerConfig config, HostConfig hostConfig, Path rootfs,
        Path containerDir, NetworkNamespace network, Path initBinary, String cgroupsPath, List<Long> extraGroups) {

    /** The container's network namespace: the host's, or one kept at a path. */
    public record NetworkNamespace(boolean isHost, Path path) {
        public static NetworkNamespace host() {
            return new NetworkNamespace(true, null);
        }

        public static NetworkNamespace at(Path path) {
            return new NetworkNamespace(false, path);
        }
    }
}
