package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import keel.engine.api.oci.Linux;

/**
 * The host's device nodes, as {@code --device} and {@code --privileged} need them (type, major/minor, mode and
 * owner, read with lstat through the JDK's "unix" attribute view). An interface so that spec tests do not depend
 * on the machine's /dev.
 */
public interface DeviceNodes {

    /**
     * The device at {@code hostPath} (not following a final symlink), or null when it is no block or character
     * device (FIFOs are returned with type "p"; callers skip them where Docker does).
     *
     * @throws NoSuchFileException when nothing is there
     */
    Linux.Device lookup(Path hostPath) throws IOException;

    /** Every device under /dev (containerd's HostDevices): what a privileged container gets. */
    List<Linux.Device> hostDevices() throws IOException;

    /** The real host's /dev. */
    static DeviceNodes host() {
        return new HostDeviceNodes(Path.of("/dev"));
    }

    /** Reads device nodes with lstat; {@link #hostDevices} walks {@code devRoot} as containerd's HostDevices does. */
    final class HostDeviceNodes implements DeviceNodes {

        /** Directories of /dev that hold no device a container should get (pseudo-terminals, shm, lxc/udev state). */
        private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts",
                ".udev");
        private static final int S_IFMT = 0170000;
        private static final int S_IFBLK = 0060000;
        private static final int S_IFCHR = 0020000;
        private static final int S_IFIFO = 0010000;

        private final Path devRoot;

        HostDeviceNodes(Path devRoot) {
            this.devRoot = devRoot;
        }

        @Override
        public Linux.Device lookup(Path hostPath) throws IOException {
            int mode = (Integer) Files.getAttribute(hostPath, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            String type = switch (mode & S_IFMT) {
                case S_IFBLK -> "b";
                case S_IFCHR -> "c";
                case S_IFIFO -> "p";
                default -> null;
            };
            if (type == null) {
                return null;
            }
            long rdev = (Long) Files.getAttribute(hostPath, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(hostPath, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (Integer) Files.getAttribute(hostPath, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            return new Linux.Device(type, hostPath.toString(), major(rdev), minor(rdev), mode & ~S_IFMT,
                    Integer.toUnsignedLong(uid), Integer.toUnsignedLong(gid));
        }

        @Override
        public List<Linux.Device> hostDevices() throws IOException {
            List<Linux.Device> out = new ArrayList<>();
            walk(devRoot, out);
            return out;
        }

        private void walk(Path dir, List<Linux.Device> out) throws IOException {
            List<Path> entries;
            try (Stream<Path> s = Files.list(dir)) {
                entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                        .toList();
            }
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!SKIPPED_DIRS.contains(name)) {
                        walk(p, out);
                    }
                    continue;
                }
                if (name.equals("console")) {
                    continue;
                }
                Linux.Device d;
                try {
                    d = lookup(p);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (d != null && !d.type().equals("p")) {
                    out.add(d);
                }
            }
        }

        /** glibc's major(3) of a Linux dev_t. */
        static long major(long dev) {
            return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
        }

        /** glibc's minor(3). */
        static long minor(long dev) {
            return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
        }
    }
}
