package keel.engine.api.runtime;

import keel.engine.api.oci.Process;

/**
 * A process to start in a running container: the OCI process (args, env, cwd, user, capabilities, terminal), and
 * whether it gets a stdin.
 */
public record ExecLaunch(String execId, Process process, boolean openStdin) {}
