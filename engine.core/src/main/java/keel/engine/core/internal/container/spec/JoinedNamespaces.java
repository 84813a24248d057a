package keel.engine.core.internal.container.spec;

import java.nio.file.Path;

/**
 * What a container shares with another container, resolved by the lifecycle (which knows the other container's
 * state) before the spec is built. {@link SpecRequest} carries only the network namespace.
 *
 * @param ipc              the namespace to join for {@code --ipc container:x} (e.g. /proc/PID/ns/ipc)
 * @param pid              the namespace to join for {@code --pid container:x}
 * @param shm              for {@code --ipc shareable} or {@code container:x}: the directory bind-mounted on
 *                         /dev/shm (Docker's ShmPath); null keeps the private tmpfs
 * @param networkFilesDir  for {@code --network container:x}: the other container's directory holding hostname,
 *                         hosts and resolv.conf, which Docker bind-mounts instead of this container's own
 */
public record JoinedNamespaces(Path ipc, Path pid, Path shm, Path networkFilesDir) {

    public static final JoinedNamespaces NONE = new JoinedNamespaces(null, null, null, null);
}
