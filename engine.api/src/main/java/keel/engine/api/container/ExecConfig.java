package keel.engine.api.container;

import java.util.List;

/** {@code POST /containers/{id}/exec}'s body. */
public record ExecConfig(Boolean attachStdin, Boolean attachStdout, Boolean attachStderr, String detachKeys,
        Boolean tty, List<String> env, List<String> cmd, Boolean privileged, String user, String workingDir,
        List<Integer> consoleSize) {}
