package keel.engine.api.container;

import java.util.List;

import keel.engine.api.image.ImageDetails.GraphDriver;

/** {@code GET /containers/{id}/json}. {@code name} starts with "/", as Docker's. */
public record ContainerDetails(
        String id,
        String created,
        String path,
        List<String> args,
        ContainerState state,
        String image,
        String resolvConfPath,
        String hostnamePath,
        String hostsPath,
        String logPath,
        String name,
        int restartCount,
        String driver,
        String platform,
        String mountLabel,
        String processLabel,
        String appArmorProfile,
        List<String> execIDs,
        HostConfig hostConfig,
        GraphDriver graphDriver,
        Long sizeRw,
        Long sizeRootFs,
        List<MountPoint> mounts,
        ContainerConfig config,
        NetworkSettings networkSettings) {}
