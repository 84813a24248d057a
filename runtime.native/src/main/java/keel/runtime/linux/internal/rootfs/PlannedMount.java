package keel.runtime.linux.internal.rootfs;

import keel.engine.api.oci.Mount;

/**
 * A mount from config.json with its options parsed. Bind mounts also carry the detached copy of their source
 * (open_tree(2) with OPEN_TREE_CLONE) made before pivot_root, when the host's paths were still reachable, and
 * whether that source is a directory (the mount point must be of the same kind).
 */
public final class PlannedMount {

    private final Mount mount;
    private final MountOptions options;
    private int treeFd = -1;
    private boolean sourceIsDirectory = true;

    public PlannedMount(Mount mount) {
        this.mount = mount;
        this.options = MountOptions.parse(mount.type(), mount.options());
    }

    public Mount mount() {
        return mount;
    }

    public String destination() {
        return mount.destination();
    }

    public String type() {
        return mount.type() == null ? "" : mount.type();
    }

    public MountOptions options() {
        return options;
    }

    public boolean isBind() {
        return options.bind();
    }

    public boolean isProc() {
        return !isBind() && type().equals("proc");
    }

    public boolean isCgroup() {
        return !isBind() && (type().equals("cgroup") || type().equals("cgroup2"));
    }

    public int treeFd() {
        return treeFd;
    }

    void source(int treeFd, boolean directory) {
        this.treeFd = treeFd;
        this.sourceIsDirectory = directory;
    }

    public boolean sourceIsDirectory() {
        return sourceIsDirectory;
    }

    /** Whether {@code path} is at or below this mount's destination. */
    public boolean covers(String path) {
        String d = destination();
        return path.equals(d) || path.startsWith(d.endsWith("/") ? d : d + "/");
    }
}
