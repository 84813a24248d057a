package keel.engine.core.internal.container.spec;

import java.util.List;

import keel.engine.api.container.HostConfig;

/**
 * The daemon-wide settings (daemon.json / dockerd flags) that fill what a container leaves unset.
 *
 * @param shmSize          {@code --default-shm-size}: /dev/shm size when HostConfig.ShmSize is 0 (Docker: 64 MiB)
 * @param ipcMode          {@code --default-ipc-mode} (Docker 20.10+: private)
 * @param cgroupnsMode     {@code --default-cgroupns-mode}, or null for Docker's choice by cgroup version (private
 *                         on v2, host on v1)
 * @param init             {@code --init}: run docker-init when HostConfig.Init is unset
 * @param noNewPrivileges  {@code --no-new-privileges}
 * @param ulimits          {@code --default-ulimit}: appended after the container's own, unless it names the same
 */
public record DaemonDefaults(long shmSize, String ipcMode, String cgroupnsMode, boolean init,
        boolean noNewPrivileges, List<HostConfig.Ulimit> ulimits) {

    /** Docker's own defaults: 64 MiB shm, private IPC, cgroupns by cgroup version, no init, no ulimits. */
    public static final DaemonDefaults DOCKER = new DaemonDefaults(64L * 1024 * 1024, "private", null, false, false,
            List.of());

    public DaemonDefaults {
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    }
}
