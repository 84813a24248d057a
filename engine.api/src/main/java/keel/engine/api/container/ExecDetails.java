package keel.engine.api.container;

import java.util.List;

/** {@code GET /exec/{id}/json}. */
public record ExecDetails(String id, boolean running, Integer exitCode, ProcessConfig processConfig,
        boolean openStdin, boolean openStderr, boolean openStdout, boolean canRemove, String containerID,
        String detachKeys, long pid) {

    public record ProcessConfig(boolean tty, String entrypoint, List<String> arguments, Boolean privileged,
            String user) {}
}
