package keel.storage.overlay.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import keel.engine.api.storage.LayerArchiver;

/**
 * Whether overlay2 can work with a given home, checked as Docker checks it: the backing filesystem must not be one
 * overlayfs refuses as an upper layer (overlayfs itself, aufs, ecryptfs), must fill in {@code d_type} (xfs made
 * with {@code ftype=0} does not, and overlayfs then gets whiteouts wrong), and a real overlay mount in the home must
 * succeed (which also proves the kernel has overlayfs: mounting loads the module when it is not loaded yet).
 */
public final class OverlaySupportCheck {

    private static final String PREFIX = "overlay2 is not supported here: ";

    private final OverlayKernel kernel;
    private final LayerArchiver archiver;

    public OverlaySupportCheck(OverlayKernel kernel, LayerArchiver archiver) {
        this.kernel = kernel;
        this.archiver = archiver;
    }

    /** Empty when overlay2 works in {@code home}, otherwise a sentence for the operator. */
    public Optional<String> reason(Path home) {
        Path created = null;
        try {
            created = topmostMissing(home.toAbsolutePath());
            Files.createDirectories(home);
            Path real = home.toRealPath();
            BackingFilesystem fs = BackingFilesystem.of(kernel.statfsType(real.toString()));
            switch (fs) {
                case OVERLAYFS, AUFS, ECRYPTFS -> {
                    return Optional.of(PREFIX + home + " is on " + fs.displayName()
                            + ", which overlayfs cannot use for its layers; put the data root on a real filesystem"
                            + " (or a volume, when running in a container)");
                }
                default -> {
                }
            }
            if (!supportsDType(real)) {
                return Optional.of(PREFIX + home + " is on " + fs.displayName()
                        + " without d_type support (xfs formatted with ftype=0); reformat it with ftype=1");
            }
            return testMount(real);
        } catch (IOException e) {
            return Optional.of(PREFIX + "cannot check " + home + ": " + e.getMessage());
        } finally {
            if (created != null) {
                try {
                    archiver.removeTree(created);
                } catch (IOException e) {
                    // leaving an empty directory behind is harmless
                }
            }
        }
    }

    /** Whether readdir(3) in {@code dir}'s filesystem reports entry types. */
    boolean supportsDType(Path dir) throws IOException {
        Path probe = dir.resolve("dtype-probe-" + UUID.randomUUID());
        Files.createDirectory(probe);
        try {
            Files.createFile(probe.resolve("file"));
            return kernel.direntTypes(probe.toString()).getOrDefault("file", OverlayKernel.DT_UNKNOWN)
                    != OverlayKernel.DT_UNKNOWN;
        } finally {
            archiver.removeTree(probe);
        }
    }

    private Optional<String> testMount(Path home) throws IOException {
        // Named like a layer id so that, should a crash leave it, the store's open() removes it as a half layer.
        Path probe = home.resolve("overlay-probe-" + UUID.randomUUID());
        List<String> dirs = List.of("lower1", "lower2", "upper", "work", "merged");
        try {
            for (String d : dirs) {
                Files.createDirectories(probe.resolve(d));
            }
            List<String> disabled = new ArrayList<>();
            for (String option : List.of("index", "redirect_dir", "metacopy")) {
                if (Files.exists(Path.of("/sys/module/overlay/parameters", option))) {
                    disabled.add(option);
                }
            }
            String data = OverlayMounter.mountData(probe.resolve("lower2") + ":" + probe.resolve("lower1"),
                    probe.resolve("upper").toString(), probe.resolve("work").toString(), disabled);
            Path merged = probe.resolve("merged");
            try {
                kernel.mount("overlay", merged.toString(), "overlay", 0, data);
            } catch (ErrnoException e) {
                if (!overlayListed()) {
                    return Optional.of(PREFIX + "the kernel has no overlay filesystem (\"overlay\" is not in"
                            + " /proc/filesystems; load the overlay module)");
                }
                return Optional.of(PREFIX + "a test overlay mount in " + home + " failed: " + e.getMessage());
            }
            kernel.umount2(merged.toString(), OverlayKernel.MNT_DETACH);
            return Optional.empty();
        } finally {
            archiver.removeTree(probe);
        }
    }

    private static boolean overlayListed() {
        try {
            return Files.readAllLines(Path.of("/proc/filesystems")).stream()
                    .anyMatch(line -> line.endsWith("\toverlay"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The outermost ancestor of {@code path} (or itself) that does not exist yet; null when it exists. */
    private static Path topmostMissing(Path path) {
        Path missing = null;
        for (Path p = path; p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }
}
