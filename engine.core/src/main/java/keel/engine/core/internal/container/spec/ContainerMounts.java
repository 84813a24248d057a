package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.errors.EngineException;
import keel.engine.api.oci.Mount;

/**
 * The spec's mount list, assembled as dockerd assembles it (daemon/oci_linux.go withMounts, daemon/volumes_unix.go
 * setupMounts, container.NetworkMounts):
 * <ol>
 * <li>Docker's default mounts (/proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue, /dev/shm) and the
 * docker-init bind, minus any a user mount replaces (all of /dev/* when the user mounts /dev; /dev/shm with
 * {@code --ipc none}), /dev/shm sized by ShmSize;</li>
 * <li>then the user's mounts, sorted by destination depth so a parent is mounted before its children (a stable
 * sort: equal depths keep the order tmpfs, binds, then resolv.conf, hostname, hosts);</li>
 * <li>{@code --read-only} adds "ro" to the non-/dev, non-/proc defaults; privileged makes /sys and the cgroup
 * mount writable.</li>
 * </ol>
 * Shared and slave binds need a source mount that propagates; they also make the rootfs propagation shared or
 * rslave so the propagation reaches the container.
 */
final class ContainerMounts {

    static final String INIT_PATH = "/sbin/docker-init";
    static final List<String> NETWORK_FILES = List.of("/etc/resolv.conf", "/etc/hostname", "/etc/hosts");

    /** Result: the mounts and the rootfs propagation they require (null: the runtime's default). */
    record Plan(List<Mount> mounts, String rootfsPropagation) {}

    /** Everything the mount list depends on. */
    record Inputs(List<UserMount> userMounts, Path networkFilesDir, Mount initMount, Path shmSource,
            String ipcMode, long shmSize, boolean readonlyRootfs, boolean privileged, boolean writableCgroups) {}

    private final boolean recursiveReadOnly;
    private final String dataRoot;
    private final MountTable mountTable;

    ContainerMounts(HostFacts facts, MountTable mountTable) {
        this.recursiveReadOnly = facts.recursiveReadOnly();
        this.dataRoot = facts.dataRoot() == null ? null : facts.dataRoot().toString();
        this.mountTable = mountTable;
    }

    /** Docker's default mounts (moby oci/defaults.go), fresh so that callers may change their options. */
    static List<Mount> defaults() {
        List<Mount> m = new ArrayList<>();
        m.add(new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        m.add(new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        m.add(new Mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        m.add(new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        m.add(new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")));
        m.add(new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        m.add(new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777")));
        return m;
    }

    Plan plan(Inputs in) throws IOException {
        // user mounts in the order Docker hands them over: IPC (shm), tmpfs, then binds sorted by depth, then the
        // network files; binds over /etc/resolv.conf, /etc/hostname, /etc/hosts replace those files' sources
        List<UserMount> tmpfs = new ArrayList<>();
        List<UserMount> binds = new ArrayList<>();
        Map<String, UserMount> networkOverrides = new java.util.HashMap<>();
        for (UserMount m : in.userMounts()) {
            if (m.tmpfs()) {
                tmpfs.add(m);
            } else if (NETWORK_FILES.contains(m.destination())) {
                networkOverrides.put(m.destination(), m);
            } else {
                binds.add(m);
            }
        }
        for (UserMount m : in.userMounts()) {
            if (!m.tmpfs()) {
                prepareSource(m);
            }
        }
        binds.sort(Comparator.comparingInt(UserMount::depth));

        List<UserMount> user = new ArrayList<>();
        boolean shareableIpc = "shareable".equals(in.ipcMode()) || NamespaceModes.isContainer(in.ipcMode());
        boolean userShm = in.userMounts().stream().anyMatch(m -> m.destination().equals("/dev/shm"));
        if (shareableIpc && in.shmSource() != null && !userShm) {
            user.add(UserMount.bind(in.shmSource().toString(), "/dev/shm", true, "rprivate", false, false, false));
        }
        user.addAll(tmpfs);
        user.addAll(binds);
        for (String dest : NETWORK_FILES) {
            UserMount override = networkOverrides.get(dest);
            String name = dest.substring("/etc/".length());
            Path source = override != null ? Path.of(override.source())
                    : in.networkFilesDir() == null ? null : in.networkFilesDir().resolve(name);
            // Docker skips a network file it cannot stat (a container on another's network before that one ran)
            if (source != null && Files.exists(source)) {
                boolean writable = override != null ? override.writable() : !in.readonlyRootfs();
                user.add(UserMount.bind(source.toString(), dest, writable, "rprivate", false, false, false));
            }
        }
        user.sort(Comparator.comparingInt(UserMount::depth));

        Set<String> userDestinations = new HashSet<>();
        for (UserMount m : user) {
            userDestinations.add(m.destination());
        }
        boolean userDev = userDestinations.contains("/dev");

        List<Mount> defaults = defaults();
        if (in.initMount() != null) {
            defaults.add(in.initMount());
        }
        List<Mount> mounts = new ArrayList<>();
        for (Mount m : defaults) {
            if (userDestinations.contains(m.destination())) {
                continue;
            }
            if (userDev && m.destination().startsWith("/dev/")) {
                continue;
            }
            if (m.destination().equals("/dev/shm")) {
                if ("none".equals(in.ipcMode())) {
                    continue;
                }
                List<String> opts = new ArrayList<>(m.options());
                opts.add("size=" + in.shmSize());
                m = new Mount(m.destination(), m.type(), m.source(), List.copyOf(opts));
            }
            mounts.add(m);
        }

        String rootfsPropagation = null;
        for (UserMount m : user) {
            if (m.tmpfs()) {
                mounts.add(new Mount(m.destination(), "tmpfs", "tmpfs", TmpfsMountOptions.forData(m.data())));
                continue;
            }
            rootfsPropagation = checkPropagation(m, rootfsPropagation);
            List<String> opts = new ArrayList<>();
            opts.add(m.nonRecursive() ? "bind" : "rbind");
            if (!m.writable()) {
                opts.add(recursiveReadOnly ? "rro" : "ro");
            }
            opts.add(m.propagation());
            mounts.add(new Mount(m.destination(), "bind", m.source(), List.copyOf(opts)));
        }

        if (in.readonlyRootfs()) {
            for (int i = 0; i < mounts.size(); i++) {
                Mount m = mounts.get(i);
                switch (m.destination()) {
                    case "/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev" -> {
                        continue;
                    }
                    default -> {
                    }
                }
                if (!userDestinations.contains(m.destination()) && !m.options().contains("ro")) {
                    List<String> opts = new ArrayList<>(m.options());
                    opts.add("ro");
                    mounts.set(i, new Mount(m.destination(), m.type(), m.source(), List.copyOf(opts)));
                }
            }
        }
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if ((in.privileged() && m.destination().equals("/sys"))
                    || (in.writableCgroups() && "cgroup".equals(m.type()))) {
                List<String> opts = new ArrayList<>(m.options());
                opts.removeIf("ro"::equals);
                mounts.set(i, new Mount(m.destination(), m.type(), m.source(), List.copyOf(opts)));
            }
        }
        return new Plan(List.copyOf(mounts), rootfsPropagation);
    }

    /**
     * A -v source that does not exist is created as a directory (0755, root-owned, only the missing parts), as
     * Docker does; a --mount source must exist unless CreateMountpoint asks for it.
     */
    private static void prepareSource(UserMount m) throws IOException {
        Path source = Path.of(m.source());
        if (Files.exists(source)) {
            return;
        }
        if (!m.createSource()) {
            throw EngineException.invalid("invalid mount config for type \"bind\": bind source path does not exist: "
                    + m.source());
        }
        List<Path> missing = new ArrayList<>();
        for (Path p = source; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.add(0, p);
        }
        try {
            for (Path p : missing) {
                Files.createDirectory(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setAttribute(p, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (java.nio.file.FileSystemException e) {
            if (e.getMessage() != null && e.getMessage().contains("Not a directory")) {
                return; // Docker ignores ENOTDIR here: the runtime reports the real problem
            }
            throw EngineException.system("error while creating mount source path '" + m.source() + "': "
                    + e.getMessage(), e);
        }
    }

    /** Checks a shared/slave bind's source mount and returns the rootfs propagation it needs. */
    private String checkPropagation(UserMount m, String rootfs) throws IOException {
        String p = m.propagation();
        boolean shared = p.equals("shared") || p.equals("rshared");
        boolean slave = p.equals("slave") || p.equals("rslave");
        if (!shared && !slave) {
            return rootfs;
        }
        MountTable.MountInfo info;
        try {
            info = mountTable.mountOf(Path.of(m.source()));
        } catch (NoSuchFileException e) {
            throw EngineException.system("lstat " + m.source() + ": no such file or directory", e);
        }
        if (info == null) {
            throw EngineException.system("Can't find mount point of " + m.source(), null);
        }
        boolean rootfsShared = "shared".equals(rootfs) || "rshared".equals(rootfs);
        if (shared) {
            if (!info.isShared()) {
                throw EngineException.system("path " + m.source() + " is mounted on " + info.mountPoint()
                        + " but it is not a shared mount", null);
            }
            return rootfsShared ? rootfs : "shared";
        }
        if (!info.isShared() && !info.isSlave()) {
            // Docker's compatibility rule: binds of the data root got rslave without the user asking; where that
            // cannot work they fall back to private propagation instead of failing
            boolean inDataRoot = dataRoot != null
                    && (m.source().startsWith(dataRoot) || dataRoot.startsWith(m.source()));
            if (inDataRoot && !m.propagationExplicit()) {
                return rootfs;
            }
            throw EngineException.system("path " + m.source() + " is mounted on " + info.mountPoint()
                    + " but it is not a shared or slave mount", null);
        }
        boolean rootfsSlave = "slave".equals(rootfs) || "rslave".equals(rootfs);
        return rootfsShared || rootfsSlave ? rootfs : "rslave";
    }
}
