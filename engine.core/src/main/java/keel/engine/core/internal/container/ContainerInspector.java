package keel.engine.core.internal.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.NetworkSettings;
import keel.engine.api.image.ImageDetails.GraphDriver;
import keel.engine.core.internal.image.DockerTime;

/** {@code docker inspect} of a container, with Docker's fields (daemon/inspect.go). */
final class ContainerInspector {

    private final ContainerEngine engine;

    ContainerInspector(ContainerEngine engine) {
        this.engine = engine;
    }

    ContainerDetails inspect(ContainerRecord r, boolean size) {
        String id;
        String imageId;
        ContainerConfig config;
        HostConfig hc;
        NetworkSettings net;
        ContainerDetails base;
        ContainerConfig running;
        synchronized (r) {
            running = r.running ? r.config : null;
        }
        // NetworkSettings.Ports: the published ports of the run; Docker shows {} for a stopped container
        Map<String, List<HostConfig.PortBinding>> ports = running != null ? engine.networking.ports(r.id, running)
                : new LinkedHashMap<>();
        synchronized (r) {
            id = r.id;
            imageId = r.imageId;
            config = r.config;
            hc = r.hostConfig;
            net = new NetworkSettings(r.sandboxId, r.sandboxKey, ports, new LinkedHashMap<>(r.networks));
            List<String> execIds = r.execIds.isEmpty() ? null : new ArrayList<>(r.execIds);
            base = new ContainerDetails(r.id, DockerTime.format(r.created), r.path, List.copyOf(r.args),
                    r.stateView(), r.imageId, r.resolvConfPath, r.hostnamePath, r.hostsPath, r.logPath, r.name,
                    r.restartCount, r.driver, "linux", "", "", "", execIds, hc, null, null, null, List.of(), config,
                    net);
        }
        Long sizeRw = null;
        Long sizeRootFs = null;
        if (size) {
            long[] sizes = new ContainerListing(engine).sizes(id, imageId);
            sizeRw = sizes[0];
            sizeRootFs = sizes[1];
        }
        GraphDriver driver = new GraphDriver(base.driver(), Map.of());
        return new ContainerDetails(base.id(), base.created(), base.path(), base.args(), base.state(), base.image(),
                base.resolvConfPath(), base.hostnamePath(), base.hostsPath(), base.logPath(), base.name(),
                base.restartCount(), base.driver(), base.platform(), base.mountLabel(), base.processLabel(),
                base.appArmorProfile(), base.execIDs(), base.hostConfig(), driver, sizeRw, sizeRootFs, base.mounts(),
                base.config(), base.networkSettings());
    }
}
