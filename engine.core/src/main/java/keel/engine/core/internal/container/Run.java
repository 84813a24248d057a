package keel.engine.core.internal.container;

import java.nio.file.Path;

import keel.engine.api.logging.ContainerLog;
import keel.engine.api.network.Sandbox;
import keel.engine.api.oci.Spec;
import keel.engine.api.runtime.ContainerRuntime;
import keel.engine.api.runtime.CreatedContainer;
import keel.engine.api.runtime.RunningContainer;
import keel.engine.core.internal.container.output.ContainerOutput;

/**
 * One run of a container, from its start (or its adoption after a daemon restart) to the handling of its exit:
 * what has to be undone afterwards. Fields are set under the container's {@code op} lock.
 */
final class Run {

    final long generation;
    final String runtimeName;
    final Path stateDir;
    final ContainerOutput output;

    ContainerRuntime runtime;
    /** Null while a recovered container waits for its runtime to adopt it. */
    volatile RunningContainer process;
    ContainerLog log;
    /** Whether the read-write layer was mounted by this daemon (an adopted run's mount is the old daemon's). */
    boolean mounted;
    String mountId;
    Path rootfs;
    /** The network namespace made for the run; null with the host's network. */
    Path netns;
    Sandbox sandbox;
    /** The runtime's container when it was created ahead of the start (see PreparedStart). */
    CreatedContainer created;
    /** The spec the run was started with; read back from the bundle for an adopted run. */
    Spec spec;
    /** Set once the exit is being handled, so it is handled once. */
    boolean exiting;

    Run(long generation, String runtimeName, Path stateDir, ContainerOutput output) {
        this.generation = generation;
        this.runtimeName = runtimeName;
        this.stateDir = stateDir;
        this.output = output;
    }
}
