package keel.engine.api.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs containers from OCI runtime bundles. Registered as a service with the {@value #NAME_PROPERTY} property.
 *
 * <p>Errors while starting (no such executable, a mount that fails, a limit the kernel refuses) are thrown as
 * {@link ContainerStartException} with runc's wording, because the docker CLI derives its exit code (126, 127)
 * from that text.
 */
@ConsumerType
public interface ContainerRuntime {

    /** Service property naming the runtime ({@code native} for Keel's own), as {@code --runtime} names it. */
    String NAME_PROPERTY = "runtime.name";

    String name();

    /** What the runtime can do on this host (cgroup version, live restore, warnings), for {@code docker info}. */
    RuntimeInfo info();

    /**
     * Creates the container described by the bundle (namespaces, cgroups, mounts, pivot into the rootfs) and
     * starts its process; returns once the process runs the bundle's executable.
     */
    RunningContainer start(ContainerLaunch launch) throws IOException;

    /**
     * Creates the container up to its process's execve and holds it there (OCI create), so that the start that
     * follows only lets it go. The engine calls it ahead of a start it expects soon ({@code docker run} creates,
     * then starts) and falls back to {@link #start} when the creation fails, so the user sees a failure where
     * Docker shows it: at start. The default holds nothing and does all the work in {@link CreatedContainer#start},
     * for a runtime that cannot stop a process before its executable.
     */
    default CreatedContainer create(ContainerLaunch launch) throws IOException {
        return new CreatedContainer() {
            @Override
            public RunningContainer start() throws IOException {
                return ContainerRuntime.this.start(launch);
            }

            @Override
            public void discard() {
                // nothing was made
            }
        };
    }

    /**
     * Finds a container this runtime (or an earlier daemon's) started, from the state it keeps in
     * {@code stateDir}; empty when the container is gone. The engine calls it for every container that was
     * running when the daemon stopped.
     */
    Optional<RunningContainer> adopt(String id, Path stateDir) throws IOException;

    /**
     * Removes what the runtime keeps for a container that has exited (cgroups, state). Safe to call twice and
     * for a container it never started. A container left created by an earlier daemon (its process still held
     * before the executable) is killed first: it never ran, and nobody will start it.
     */
    void delete(String id, Path stateDir) throws IOException;
}
