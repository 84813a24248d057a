package keel.engine.core.internal.container;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.core.internal.network.NetworkedContainers;

/**
 * The containers as the network service reaches them: found by name or ID, and their networks changed under their
 * lifecycle lock ({@code network connect} and {@code disconnect}), with the record persisted and, for a running
 * container, its /etc/hosts and /etc/resolv.conf brought up to date in place.
 */
final class ContainerNetworkAccess implements NetworkedContainers {

    private static final System.Logger LOG = System.getLogger(ContainerNetworkAccess.class.getName());

    private final ContainerEngine engine;

    ContainerNetworkAccess(ContainerEngine engine) {
        this.engine = engine;
    }

    @Override
    public View find(String ref) {
        return view(engine.lookup(ref));
    }

    @Override
    public void update(String ref, Function<View, Map<String, EndpointSettings>> change) {
        ContainerRecord r = engine.lookup(ref);
        r.op.lock();
        try {
            View v = view(r);
            Map<String, EndpointSettings> networks = change.apply(v);
            if (networks == null) {
                return;
            }
            synchronized (r) {
                r.networks = new LinkedHashMap<>(networks);
            }
            engine.persist(r);
            if (v.running()) {
                ContainerConfig config;
                HostConfig hc;
                synchronized (r) {
                    config = r.config;
                    hc = r.hostConfig;
                }
                try {
                    engine.specs.updateNetworkFiles(config, hc, r.dir, engine.networking.etcView(r.id, hc));
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot update /etc/hosts and /etc/resolv.conf of container " + r.id, e);
                }
            }
        } finally {
            r.op.unlock();
        }
    }

    private static View view(ContainerRecord r) {
        synchronized (r) {
            boolean running = r.running && !r.restarting && r.run != null;
            Path netns = running ? r.run.netns : null;
            return new View(r.id, r.name, r.status(), running, r.restarting, r.removalInProgress || r.dead,
                    r.config, r.hostConfig, new LinkedHashMap<>(r.networks), netns, r.dir);
        }
    }
}
