package keel.runtime.linux.internal.state;

import java.util.Map;

/**
 * What a new daemon needs to take over a running container (runc keeps the like in its state.json): the host PID
 * and the process's start time (field 22 of /proc/PID/stat, so a recycled PID is never mistaken for the
 * container), its cgroup directories, whether it had a terminal and its own PID namespace. The pidfd itself is
 * kept next to this file as a bind mount (see {@link PidfdAnchor}).
 *
 * @param cgroupVersion "1" or "2"
 * @param cgroupPaths   the container's cgroup directory per v1 hierarchy (v2: key "")
 */
public record ContainerState(String id, long pid, long startTime, String cgroupVersion,
        Map<String, String> cgroupPaths, boolean tty, boolean ownPidNamespace, String bundle, long createdMillis) {}
