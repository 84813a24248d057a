package keel.engine.api.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/** Makes and removes network namespaces for containers (registered by a bundle that can call the kernel). */
@ConsumerType
public interface SandboxFactory {

    /**
     * Creates a new network namespace kept at {@code path}; its loopback interface is up if the sandbox says so
     * ({@link Sandbox#loopbackUp}), else down, as the kernel makes it.
     */
    Sandbox create(String id, Path path) throws IOException;

    /** The namespace kept at {@code path}, if it still exists (after a daemon restart). */
    Optional<Sandbox> open(String id, Path path) throws IOException;

    /** Unmounts and removes the namespace file; the namespace dies when its last process leaves. Idempotent. */
    void delete(Path path) throws IOException;
}
