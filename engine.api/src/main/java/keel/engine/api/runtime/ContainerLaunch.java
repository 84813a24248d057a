package keel.engine.api.runtime;

import java.nio.file.Path;

/**
 * What the engine asks a runtime to start: the container ID, the OCI bundle (a directory holding config.json,
 * whose root.path names the rootfs), a private directory for the runtime's own state (it survives a daemon restart
 * but not a reboot), and how the process's standard streams are connected.
 */
public record ContainerLaunch(String id, Path bundle, Path stateDir, Stdio stdio) {}
