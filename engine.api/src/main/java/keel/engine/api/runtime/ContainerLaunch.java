package keel.engine.api.runtime;

import java.nio.file.Path;

import keel.engine.api.oci.Spec;

/**
 * What the engine asks a runtime to start: the container ID, the OCI bundle (a directory holding config.json,
 * whose root.path names the rootfs), a private directory for the runtime's own state (it survives a daemon restart
 * but not a reboot), and how the process's standard streams are connected. {@code spec} is the bundle's
 * config.json as the engine has just written it, so that a runtime need not read and parse it back; null when the
 * runtime is to read the file.
 */
public record ContainerLaunch(String id, Path bundle, Path stateDir, Stdio stdio, Spec spec) {

    /** A launch whose runtime reads the spec from the bundle. */
    public ContainerLaunch(String id, Path bundle, Path stateDir, Stdio stdio) {
        this(id, bundle, stateDir, stdio, null);
    }
}
