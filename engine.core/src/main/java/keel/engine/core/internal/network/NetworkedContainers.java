package keel.engine.core.internal.network;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;

/**
 * What the networks ask of the container side: finding a container ({@code connect}, {@code container:<x>}) and
 * changing its recorded networks under its lifecycle lock, so that a connect never races its start or stop.
 */
public interface NetworkedContainers {

    /**
     * A container as the networks see it.
     *
     * @param name         with its leading "/"
     * @param netns        where its network namespace is kept while it runs (null otherwise, or with the host's)
     * @param containerDir {@code <data-root>/containers/<id>}, holding its hostname, hosts and resolv.conf
     */
    record View(String id, String name, String state, boolean running, boolean restarting, boolean removing,
            ContainerConfig config, HostConfig hostConfig, Map<String, EndpointSettings> networks, Path netns,
            Path containerDir) {}

    /**
     * @throws keel.engine.api.errors.EngineException NOT_FOUND "No such container: ref"
     */
    View find(String ref);

    /**
     * Runs {@code change} under the container's lifecycle lock with its current view; records the networks it
     * returns (null: unchanged) and, when the container runs, rewrites its /etc/hosts and /etc/resolv.conf in
     * place (the running container has them bind-mounted).
     */
    void update(String ref, Function<View, Map<String, EndpointSettings>> change);
}
