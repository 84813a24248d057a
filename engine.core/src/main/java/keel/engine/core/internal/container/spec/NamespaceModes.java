package keel.engine.core.internal.container.spec;

/**
 * The namespace mode strings of a HostConfig (NetworkMode, IpcMode, PidMode, UTSMode, CgroupnsMode) read as
 * Docker's api/types/container reads them. Null is Docker's empty string.
 */
final class NamespaceModes {

    private NamespaceModes() {}

    private static final String CONTAINER_PREFIX = "container:";

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** {@code container:<x>}: true with any x, even empty (Docker's IsContainer). */
    static boolean isContainer(String mode) {
        return orEmpty(mode).startsWith(CONTAINER_PREFIX);
    }

    static String containerOf(String mode) {
        return isContainer(mode) ? mode.substring(CONTAINER_PREFIX.length()) : "";
    }

    static boolean isHost(String mode) {
        return "host".equals(mode);
    }

    // ---- network

    static boolean isHostNetwork(String networkMode) {
        return isHost(networkMode);
    }

    /** Docker's NetworkMode.IsPrivate: the container gets a namespace of its own (bridge, none, a named network). */
    static boolean isPrivateNetwork(String networkMode) {
        return !isHost(networkMode) && !isContainer(networkMode);
    }

    // ---- ipc

    /** Docker's IpcMode.Valid: empty, none, private, host, shareable or container:x. */
    static boolean validIpc(String m) {
        String s = orEmpty(m);
        return s.isEmpty() || s.equals("none") || s.equals("private") || s.equals("host") || s.equals("shareable")
                || isContainer(s);
    }

    // ---- pid, uts, cgroupns

    /** Docker's PidMode.Valid: empty, host or container:x with a non-empty x. */
    static boolean validPid(String m) {
        String s = orEmpty(m);
        return s.isEmpty() || s.equals("host") || (isContainer(s) && !containerOf(s).isEmpty());
    }

    static boolean isPrivatePid(String m) {
        return !isHost(m) && !isContainer(m);
    }

    static boolean validUts(String m) {
        String s = orEmpty(m);
        return s.isEmpty() || s.equals("host");
    }

    static boolean validCgroupns(String m) {
        String s = orEmpty(m);
        return s.isEmpty() || s.equals("private") || s.equals("host");
    }

    /**
     * The effective cgroup namespace mode (Docker's adaptContainerSettings): the container's own, else the daemon's,
     * else private on cgroup v2 and host on v1; privileged containers on v1 always share the host's.
     */
    static String cgroupns(String containerMode, boolean privileged, DaemonDefaults daemon, int cgroupVersion) {
        if (!orEmpty(containerMode).isEmpty()) {
            return containerMode;
        }
        if (privileged && cgroupVersion != 2) {
            return "host";
        }
        if (daemon.cgroupnsMode() != null && !daemon.cgroupnsMode().isEmpty()) {
            return daemon.cgroupnsMode();
        }
        return cgroupVersion == 2 ? "private" : "host";
    }

    /** The effective IPC mode: the container's, else the daemon default. */
    static String ipc(String containerMode, DaemonDefaults daemon) {
        return orEmpty(containerMode).isEmpty() ? daemon.ipcMode() : containerMode;
    }
}
