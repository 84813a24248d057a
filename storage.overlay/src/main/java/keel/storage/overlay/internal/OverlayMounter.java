package keel.storage.overlay.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Mounts overlays whose layers are named relative to the store's home ({@code l/<short>}, {@code <id>/diff}), on a
 * {@link MountThread} whose working directory is the home, so that the kernel resolves them there.
 *
 * <p>Two ways, the first the kernel takes:
 * <ol>
 * <li>the new mount API: fsopen("overlay"), one {@code fsconfig(FSCONFIG_SET_STRING, "lowerdir+", layer)} per
 * layer (Linux 6.8), fsmount, move_mount. No length limit, so chains up to the kernel's 500 layers;</li>
 * <li>mount(2), whose {@code data} the kernel copies one page of (4096 bytes on x86). With 26-character short
 * names, {@code l/<short>} paths relative to the home fit about 128 layers (Docker's limit, for this reason).
 * Deeper chains get a scratch directory of symlinks named {@code 0}, {@code 1}, ... to the layers, and the mount
 * runs there: four bytes a layer.</li>
 * </ol>
 *
 * <p>Every overlay is mounted with {@code index=off}, {@code redirect_dir=off} and {@code metacopy=off} when the
 * kernel knows them (a module parameter of that name exists): with redirects on, renaming a lower directory in a
 * container records an xattr in the upper directory instead of copying it, and with metacopy a chmod copies only
 * metadata; either way the upper directory would no longer be the container's changes that {@code writeDiff}
 * reads. The inode index is of no use without them and makes an upper directory refuse a second mount.
 */
final class OverlayMounter implements AutoCloseable {

    /** OVL_MAX_STACK: the most lower layers the kernel stacks. */
    static final int MAX_LOWERS = 500;

    private static final Path OVERLAY_PARAMETERS = Path.of("/sys/module/overlay/parameters");
    private static final List<String> OPTIONS_TO_DISABLE = List.of("index", "redirect_dir", "metacopy");

    private final OverlayKernel kernel;
    private final Path home;
    private final Path scratchRoot;
    private final MountThread thread;
    private final boolean newApi;
    /** Whether the kernel knows {@code volatile} (Linux 5.10). */
    private final boolean volatileKnown;
    /** A flag option; {@link #mountData} writes it without {@code =off}. */
    static final String VOLATILE = "volatile";

    /**
     * @param home        the directory layer paths are relative to
     * @param scratchRoot a directory on the same filesystem, two levels below the home, for deep-chain symlinks
     */
    OverlayMounter(OverlayKernel kernel, Path home, Path scratchRoot, MountApi api) throws IOException {
        this.kernel = kernel;
        this.home = home;
        this.scratchRoot = scratchRoot;
        this.thread = new MountThread(kernel, "keel-overlay-mount " + home,
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        this.newApi = api == MountApi.AUTO && kernelTakesLowerdirPlus();
        this.volatileKnown = kernelTakesFlag(VOLATILE);
    }

    /** Whether volatile upper directories are mounted as such; for tests and diagnostics. */
    boolean mountsVolatile() {
        return volatileKnown;
    }

    /** Whether overlays are mounted with the new mount API (else mount(2)). */
    boolean usesNewApi() {
        return newApi;
    }

    /**
     * Mounts an overlay on {@code target}.
     *
     * @param lowers paths relative to the home, topmost first
     * @param upper  the upper directory relative to the home, or null for a read-only stack of lowers
     * @param work   the work directory relative to the home (with {@code upper})
     */
    void mountOverlay(List<String> lowers, String upper, String work, Path target, boolean readOnly)
            throws IOException {
        mountOverlay(lowers, upper, work, target, readOnly, false);
    }

    /**
     * @param volatileUpper mount with {@code volatile} (Linux 5.10): overlayfs then ignores every sync of the upper
     *                      directory, fsync(2) in the container and the whole-filesystem sync at unmount alike; for
     *                      layers that need not survive a crash. Left out when the kernel does not know it.
     */
    void mountOverlay(List<String> lowers, String upper, String work, Path target, boolean readOnly,
            boolean volatileUpper) throws IOException {
        if (lowers.isEmpty() || lowers.size() > MAX_LOWERS) {
            throw new IOException("an overlay takes 1 to " + MAX_LOWERS + " lower layers, not " + lowers.size());
        }
        List<String> options = new ArrayList<>();
        for (String name : OPTIONS_TO_DISABLE) {
            if (Files.exists(OVERLAY_PARAMETERS.resolve(name))) {
                options.add(name);
            }
        }
        mount(lowers, upper, work, options, target, readOnly, volatileUpper && upper != null && volatileKnown);
    }

    private void mount(List<String> lowers, String upper, String work, List<String> options, Path target,
            boolean readOnly, boolean withVolatile) throws IOException {
        if (newApi) {
            thread.callIn(home.toString(), () -> {
                mountWithFsopen(lowers, upper, work, options, target, readOnly, withVolatile);
                return null;
            });
        } else {
            List<String> all = options;
            if (withVolatile) {
                all = new ArrayList<>(options);
                all.add(VOLATILE);
            }
            mountWithMount2(lowers, upper, work, all, target, readOnly);
        }
    }

    /** A bind mount of {@code source} on {@code target}, read-only when asked (a single layer needs no overlay). */
    void bind(Path source, Path target, boolean readOnly) throws IOException {
        kernel.mount(source.toString(), target.toString(), null, OverlayKernel.MS_BIND, null);
        if (readOnly) {
            try {
                // MS_RDONLY is ignored on the bind itself; it takes a remount of the new mount (mount(2)).
                kernel.mount(null, target.toString(), null,
                        OverlayKernel.MS_BIND | OverlayKernel.MS_REMOUNT | OverlayKernel.MS_RDONLY, null);
            } catch (ErrnoException e) {
                kernel.umount2(target.toString(), OverlayKernel.MNT_DETACH);
                throw e;
            }
        }
    }

    private void mountWithFsopen(List<String> lowers, String upper, String work, List<String> options, Path target,
            boolean readOnly, boolean withVolatile) throws IOException {
        int fs = kernel.fsopen("overlay", OverlayKernel.FSOPEN_CLOEXEC);
        try {
            for (String lower : lowers) {
                kernel.fsconfig(fs, OverlayKernel.FSCONFIG_SET_STRING, "lowerdir+", lower, 0);
            }
            if (upper != null) {
                kernel.fsconfig(fs, OverlayKernel.FSCONFIG_SET_STRING, "upperdir", upper, 0);
                kernel.fsconfig(fs, OverlayKernel.FSCONFIG_SET_STRING, "workdir", work, 0);
            }
            for (String option : options) {
                kernel.fsconfig(fs, OverlayKernel.FSCONFIG_SET_STRING, option, "off", 0);
            }
            if (withVolatile) {
                kernel.fsconfig(fs, OverlayKernel.FSCONFIG_SET_FLAG, VOLATILE, null, 0);
            }
            kernel.fsconfig(fs, OverlayKernel.FSCONFIG_CMD_CREATE, null, null, 0);
            int mnt = kernel.fsmount(fs, OverlayKernel.FSMOUNT_CLOEXEC, readOnly ? OverlayKernel.MOUNT_ATTR_RDONLY : 0);
            try {
                kernel.moveMount(mnt, "", OverlayKernel.AT_FDCWD, target.toString(),
                        OverlayKernel.MOVE_MOUNT_F_EMPTY_PATH);
            } finally {
                kernel.close(mnt);
            }
        } catch (ErrnoException e) {
            String log = kernel.fsContextMessages(fs);
            throw new IOException("overlay mount on " + target + " failed: " + e.getMessage()
                    + (log.isEmpty() ? "" : " [kernel: " + log + "]"), e);
        } finally {
            kernel.close(fs);
        }
    }

    private void mountWithMount2(List<String> lowers, String upper, String work, List<String> options, Path target,
            boolean readOnly) throws IOException {
        long flags = readOnly ? OverlayKernel.MS_RDONLY : 0;
        String data = mountData(String.join(":", lowers), upper, work, options);
        if (fitsOnePage(data)) {
            thread.callIn(home.toString(), () -> {
                kernel.mount("overlay", target.toString(), "overlay", flags, data);
                return null;
            });
            return;
        }
        Path scratch = scratchRoot.resolve("mount-" + UUID.randomUUID());
        Files.createDirectory(scratch);
        try {
            // From home/<staging>/<scratch>, "../../" is the home again.
            List<String> numbered = new ArrayList<>();
            for (int i = 0; i < lowers.size(); i++) {
                Files.createSymbolicLink(scratch.resolve(Integer.toString(i)), Path.of("../../" + lowers.get(i)));
                numbered.add(Integer.toString(i));
            }
            String shortData = mountData(String.join(":", numbered), upper == null ? null : "../../" + upper,
                    work == null ? null : "../../" + work, options);
            if (!fitsOnePage(shortData)) {
                throw new IOException("cannot mount " + lowers.size() + " layers with mount(2): the options exceed "
                        + kernel.pageSize() + " bytes even with one-digit names");
            }
            // The kernel resolves the symlinks when it mounts; afterwards they can go.
            thread.callIn(scratch.toString(), () -> {
                kernel.mount("overlay", target.toString(), "overlay", flags, shortData);
                return null;
            });
        } finally {
            try (var links = Files.newDirectoryStream(scratch)) {
                for (Path link : links) {
                    Files.deleteIfExists(link);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    private boolean fitsOnePage(String data) {
        return data.getBytes(StandardCharsets.UTF_8).length + 1 <= kernel.pageSize();
    }

    static String mountData(String lowerdir, String upper, String work, List<String> disabled) {
        StringBuilder data = new StringBuilder("lowerdir=").append(lowerdir);
        if (upper != null) {
            data.append(",upperdir=").append(upper).append(",workdir=").append(work);
        }
        for (String option : disabled) {
            data.append(',').append(option).append(option.equals(VOLATILE) ? "" : "=off");
        }
        return data.toString();
    }

    /** Whether fsopen("overlay") accepts the flag {@code name}; EINVAL ("unknown parameter") if not. */
    private boolean kernelTakesFlag(String name) throws IOException {
        return thread.callIn(home.toString(), () -> {
            int fs;
            try {
                fs = kernel.fsopen("overlay", OverlayKernel.FSOPEN_CLOEXEC);
            } catch (ErrnoException e) {
                return false;
            }
            try {
                kernel.fsconfig(fs, OverlayKernel.FSCONFIG_SET_FLAG, name, null, 0);
                return true;
            } catch (ErrnoException e) {
                return false;
            } finally {
                kernel.close(fs);
            }
        });
    }

    /** Whether fsopen("overlay") accepts {@code lowerdir+} (Linux 6.8); EINVAL ("unknown parameter") if not. */
    private boolean kernelTakesLowerdirPlus() throws IOException {
        return thread.callIn(home.toString(), () -> {
            int fs;
            try {
                fs = kernel.fsopen("overlay", OverlayKernel.FSOPEN_CLOEXEC);
            } catch (ErrnoException e) {
                return false;
            }
            try {
                kernel.fsconfig(fs, OverlayKernel.FSCONFIG_SET_STRING, "lowerdir+", ".", 0);
                return true;
            } catch (ErrnoException e) {
                return false;
            } finally {
                kernel.close(fs);
            }
        });
    }

    @Override
    public void close() {
        thread.close();
    }
}
