package keel.storage.overlay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;
import keel.engine.api.storage.LayerArchiver;
import keel.engine.api.storage.LayerStore;
import keel.engine.api.storage.WhiteoutFormat;

/**
 * Layers as overlayfs directories, laid out as Docker's overlay2 lays them out:
 *
 * <pre>
 * home/&lt;id&gt;/diff     the layer's own content; whiteouts as 0/0 character devices, opaque directories marked
 *                  with trusted.overlay.opaque=y (the kernel's own format, so it serves as a lower as is)
 * home/&lt;id&gt;/link     the layer's short name, 26 characters (image layers only: a read-write layer is
 *                  nobody's parent, so nothing names it by a short name; Docker makes one anyway)
 * home/&lt;id&gt;/lower    the parents as "l/&lt;short&gt;:l/&lt;short&gt;:...", nearest first (absent for a base layer)
 * home/&lt;id&gt;/work     the overlay work directory: only a container's read-write layer has one
 * home/&lt;id&gt;/merged   where the layer is mounted
 * home/l/&lt;short&gt;     symlink to ../&lt;id&gt;/diff, so that mount options name layers in 29 bytes, not 80
 * home/staging/    layers being built or removed, and scratch space; debris of a crash at open
 * </pre>
 *
 * A layer is built complete in {@code staging}, its {@code l/} link created, the filesystem synced, and then
 * renamed into place: a layer exists exactly when {@code home/<id>} does. Removal renames it back into staging
 * first, and the tree is deleted there by a background thread (the caller does not wait for a container's whole
 * upper directory to go). {@link #open} unmounts what a killed daemon left mounted, and clears debris: staging,
 * directories without {@code diff} or {@code link}, dangling {@code l/} links; it recreates missing ones (so the
 * {@code l/} directory itself is never flushed: a link lost to a power cut comes back from the layer's
 * {@code link} file).
 *
 * <p>An {@linkplain #createEphemeral ephemeral} read-write layer is made with no flush at all. A power cut can then
 * leave it with an empty {@code lower} or {@code link} file; {@link #open} removes such a half read-write layer
 * (a durable one is flushed before it appears, so only an ephemeral one can be half).
 *
 * <p>An image layer (made by applyDiff, no {@code work}) mounts read-only as a stack of lowers: its own diff on top
 * of its parents' (a base layer, alone, as a read-only bind mount of its diff, since overlayfs wants two lowers
 * without an upper). A read-write layer mounts with its diff as the upper directory; without a parent, its diff is
 * bind-mounted. {@code writeDiff} writes the diff directory as it is (Docker's "native diff"); that is right because
 * every mount disables redirects and metacopy (see {@link OverlayMounter}).
 */
public final class OverlayLayerStore implements LayerStore {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Set<String> RESERVED = Set.of("l", "staging");
    private static final Pattern SHORT = Pattern.compile("[A-Z2-7]{26}");
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    /** What a volatile overlay mount leaves in its work directory (the kernel's own mark). */
    private static final String VOLATILE_MOUNTED = "work/work/incompat/volatile";

    private final Path home;
    private final Path links;
    private final Path staging;
    private final LayerArchiver archiver;
    private final OverlayKernel kernel;
    private final OverlayMounter mounter;
    private final List<String[]> status;
    private final SecureRandom random = new SecureRandom();
    /** Mount counts (guarded by itself, held briefly). */
    private final Map<String, Integer> mounts = new HashMap<>();
    /**
     * Mounting, unmounting and removing a layer hold its stripe, so a layer is never mounted twice at once, while
     * different layers (containers starting together) mount in parallel.
     */
    private final Object[] stripes = new Object[64];
    /**
     * Ephemeral layers made by this store: their overlay is mounted volatile. (A layer mounted volatile before says
     * so itself, with the kernel's mark in its work directory.)
     */
    private final Set<String> ephemeral = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Deletes removed layers' trees in the background; what it has not done at a crash is debris at open. */
    private final java.util.concurrent.ThreadPoolExecutor eraser;
    /** Guards the step that makes a layer visible or invisible, so that two calls never both create one id. */
    private final Object commitLock = new Object();

    private OverlayLayerStore(Path home, LayerArchiver archiver, OverlayKernel kernel, OverlayMounter mounter,
            List<String[]> status) {
        this.home = home;
        this.links = home.resolve("l");
        this.staging = home.resolve("staging");
        this.archiver = archiver;
        this.kernel = kernel;
        this.mounter = mounter;
        this.status = status;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        this.eraser = new java.util.concurrent.ThreadPoolExecutor(1, 1, 10, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "keel-overlay-eraser");
                    t.setDaemon(true);
                    return t;
                });
        this.eraser.allowCoreThreadTimeOut(true);
    }

    private Object stripe(String id) {
        return stripes[(id.hashCode() & 0x7fffffff) % stripes.length];
    }

    /** Opens (creating when needed) the store in {@code home}, cleaning up after a crash or a killed daemon. */
    public static OverlayLayerStore open(Path home, LayerArchiver archiver, OverlayKernel kernel, MountApi api)
            throws IOException {
        Files.createDirectories(home);
        // Layer trees hold setuid binaries and world-writable directories: keep other users out of the whole
        // store, as Docker keeps its overlay2 directory at 0710. (The kernel reads lowers with the mounter's
        // credentials, so containers are unaffected.)
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path real = home.toRealPath();
        for (String dir : RESERVED) {
            Files.createDirectories(real.resolve(dir));
            Files.setPosixFilePermissions(real.resolve(dir), PosixFilePermissions.fromString("rwx------"));
        }
        // Every layer is built in staging and keeps the inode it got there: with the "top directory" flag, ext4
        // spreads them over its block groups instead of piling every container's layer (and the inodes made and
        // deleted in it) into one; see engine.core's SpreadDirectories for why that matters.
        try {
            String staging = real.resolve("staging").toString();
            int flags = kernel.inodeFlags(staging);
            if ((flags & OverlayKernel.FS_TOPDIR_FL) == 0) {
                kernel.setInodeFlags(staging, flags | OverlayKernel.FS_TOPDIR_FL);
            }
        } catch (ErrnoException e) {
            // not ext2/3/4 (ENOTTY, EOPNOTSUPP): a hint only
        }
        BackingFilesystem backing = BackingFilesystem.of(kernel.statfsType(real.toString()));
        boolean dType = new OverlaySupportCheck(kernel, archiver).supportsDType(real.resolve("staging"));
        List<String[]> status = List.of(
                new String[] {"Backing Filesystem", backing.displayName()},
                new String[] {"Supports d_type", Boolean.toString(dType)},
                new String[] {"Using metacopy", "false"},
                new String[] {"Native Overlay Diff", "true"},
                new String[] {"userxattr", "false"});
        OverlayMounter mounter = new OverlayMounter(kernel, real, real.resolve("staging"), api);
        OverlayLayerStore store = new OverlayLayerStore(real, archiver, kernel, mounter, status);
        try {
            store.recover();
        } catch (IOException | RuntimeException e) {
            mounter.close();
            throw e;
        }
        return store;
    }

    /** Whether mounts use the new mount API (else mount(2)); for tests and diagnostics. */
    public boolean usesNewMountApi() {
        return mounter.usesNewApi();
    }

    private void recover() throws IOException {
        // A daemon that stopped or was killed leaves its overlays mounted. The merged tree of a whole layer may be
        // the root of a container that kept running and that the engine re-adopts: it is taken over as mounted
        // once, so the container's exit unmounts it as usual (mounting it again over a lower/upper pair in use is
        // unsafe). Anything else mounted under the home is stale: unmounted, deepest first, detached.
        for (Path mounted : MountInfo.mountPointsUnder(home)) {
            Path layer = mounted.getParent();
            if (mounted.getFileName().toString().equals("merged") && layer != null && layer.getParent().equals(home)
                    && ID.matcher(layer.getFileName().toString()).matches() && whole(layer)) {
                mounts.merge(layer.getFileName().toString(), 1, Integer::sum);
                continue;
            }
            umountQuietly(mounted);
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(staging)) {
            for (Path p : left) {
                archiver.removeTree(p);
            }
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(home)) {
            for (Path p : all) {
                String name = p.getFileName().toString();
                if (!RESERVED.contains(name) && ID.matcher(name).matches()
                        && (!whole(p) || halfReadWrite(p)) && !mounts.containsKey(name)) {
                    archiver.removeTree(p);
                }
            }
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(links)) {
            for (Path link : all) {
                if (Files.isSymbolicLink(link) && !Files.isDirectory(link)) {
                    Files.delete(link);
                }
            }
        }
        for (String id : ids()) {
            String shortName;
            try {
                shortName = shortName(id);
            } catch (IOException corrupt) {
                // Not ours to guess: its children name it by the old short name. Mounting it reports the error.
                continue;
            }
            Path link = links.resolve(shortName);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, Path.of("../" + id + "/diff"));
            }
        }
        fsync(links);
    }

    /**
     * A read-write layer (it has {@code work}) whose {@code link} or {@code lower} file does not hold what this
     * store writes there: an ephemeral layer whose files a power cut emptied.
     */
    private static boolean halfReadWrite(Path layer) {
        if (!Files.isDirectory(layer.resolve("work"), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            if (Files.exists(layer.resolve("link"), LinkOption.NOFOLLOW_LINKS)) { // made by an earlier version
                String link = Files.readString(layer.resolve("link"), StandardCharsets.US_ASCII).trim();
                if (!SHORT.matcher(link).matches()) {
                    return true;
                }
            }
            Path lower = layer.resolve("lower");
            if (!Files.exists(lower, LinkOption.NOFOLLOW_LINKS)) {
                return false; // a layer without parent has none
            }
            String chain = Files.readString(lower, StandardCharsets.US_ASCII).trim();
            for (String entry : chain.split(":", -1)) {
                if (!entry.startsWith("l/") || !SHORT.matcher(entry.substring(2)).matches()) {
                    return true;
                }
            }
            return false;
        } catch (IOException garbage) {
            return true; // bytes that are not ASCII: not what this store wrote
        }
    }

    /**
     * A layer this store made is never without these (it appears whole): a diff, and a link file (an image layer)
     * or a work directory (a read-write layer); Docker's overlay2 could leave one.
     */
    private static boolean whole(Path layer) {
        return Files.isDirectory(layer.resolve("diff"), LinkOption.NOFOLLOW_LINKS)
                && (Files.isRegularFile(layer.resolve("link"), LinkOption.NOFOLLOW_LINKS)
                        || Files.isDirectory(layer.resolve("work"), LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    public List<String[]> status() {
        List<String[]> copy = new ArrayList<>();
        for (String[] row : status) {
            copy.add(row.clone());
        }
        return copy;
    }

    @Override
    public boolean exists(String id) {
        return valid(id) && Files.isDirectory(home.resolve(id).resolve("diff"), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Set<String> ids() throws IOException {
        Set<String> out = new TreeSet<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(home)) {
            for (Path p : all) {
                String id = p.getFileName().toString();
                if (exists(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    @Override
    public long applyDiff(String id, String parent, InputStream diff) throws IOException {
        checkNew(id);
        String lower = lowerFor(parent);
        Path build = staging.resolve(id + "." + UUID.randomUUID());
        try {
            Files.createDirectory(build);
            createDirectory(build.resolve("diff"), "rwxr-xr-x");
            long bytes = archiver.extract(diff, build.resolve("diff"), WhiteoutFormat.OVERLAY);
            createDirectory(build.resolve("merged"), "rwx------");
            commit(id, build, lower, true, true, true);
            return bytes;
        } catch (IOException | RuntimeException | Error e) {
            discard(build, e);
            throw e;
        }
    }

    @Override
    public void createReadWrite(String id, String parent) throws IOException {
        createReadWrite(id, parent, true);
    }

    /** No flush: see the class comment for what a power cut can leave and how {@link #open} repairs it. */
    @Override
    public void createEphemeral(String id, String parent) throws IOException {
        createReadWrite(id, parent, false);
    }

    private void createReadWrite(String id, String parent, boolean durable) throws IOException {
        checkNew(id);
        String lower = lowerFor(parent);
        Path build = staging.resolve(id + "." + UUID.randomUUID());
        try {
            Files.createDirectory(build);
            createDirectory(build.resolve("diff"), "rwxr-xr-x");
            createDirectory(build.resolve("work"), "rwx------");
            createDirectory(build.resolve("merged"), "rwx------");
            commit(id, build, lower, false, durable, false);
            if (!durable) {
                ephemeral.add(id);
            }
        } catch (IOException | RuntimeException | Error e) {
            discard(build, e);
            throw e;
        }
    }

    /** The {@code lower} list of a child of {@code parent}: the parent's link, then the parent's own lowers. */
    private String lowerFor(String parent) throws IOException {
        if (parent == null) {
            return null;
        }
        requireExisting(parent);
        List<String> lowers = new ArrayList<>();
        lowers.add("l/" + shortName(parent));
        lowers.addAll(lowers(parent));
        // An image layer mounts its own diff on top of these: keep that within the kernel's stack depth.
        if (lowers.size() + 1 > OverlayMounter.MAX_LOWERS) {
            throw EngineException.invalid("max depth exceeded: overlay stacks at most " + OverlayMounter.MAX_LOWERS
                    + " layers");
        }
        return String.join(":", lowers);
    }

    /**
     * @param extracted whether {@code build} holds extracted content that must reach the disk first
     * @param durable   whether the layer must survive a power cut once this returns (else nothing is flushed)
     * @param linked    whether the layer gets a short name (an image layer, which children name in their lowers;
     *                  a read-write layer is nobody's parent and gets none, unlike Docker's: two files fewer)
     */
    private void commit(String id, Path build, String lower, boolean extracted, boolean durable, boolean linked)
            throws IOException {
        if (lower != null) {
            writeFile(build.resolve("lower"), lower, durable);
        }
        Path link = null;
        boolean committed = false;
        try {
            // Reserve the short name first: creating the symlink is what makes it ours.
            String shortName = null;
            while (linked && link == null) {
                shortName = newShortName();
                try {
                    link = Files.createSymbolicLink(links.resolve(shortName), Path.of("../" + id + "/diff"));
                } catch (FileAlreadyExistsException taken) {
                    link = null;
                }
            }
            if (linked) {
                writeFile(build.resolve("link"), shortName, durable);
            }
            if (durable) {
                fsync(build);
            }
            if (extracted) {
                // Extracted files are not fsynced one by one; one syncfs makes the whole layer durable before it
                // is visible, so a crash never leaves a layer that exists with files the disk never got.
                kernel.syncfs(build.toString());
            }
            synchronized (commitLock) {
                if (Files.exists(home.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
                    throw EngineException.conflict("layer " + id + " already exists");
                }
                Files.move(build, home.resolve(id), StandardCopyOption.ATOMIC_MOVE);
                committed = true;
            }
            if (durable) {
                fsync(home); // the l/ link needs none: open() makes it again from the link file
            }
        } finally {
            if (!committed && link != null) {
                Files.deleteIfExists(link);
            }
        }
    }

    private void discard(Path build, Throwable cause) {
        try {
            archiver.removeTree(build);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public Path mount(String id) throws IOException {
        synchronized (stripe(id)) {
            Path layer = requireExisting(id);
            Path merged = layer.resolve("merged");
            int count;
            synchronized (mounts) {
                count = mounts.getOrDefault(id, 0);
            }
            if (count == 0) {
                if (!merged.toFile().isDirectory()) { // there after the first mount; no exception to find that
                    Files.createDirectories(merged);
                }
                mountLayer(id, layer, merged);
            }
            synchronized (mounts) {
                mounts.put(id, count + 1);
            }
            return merged;
        }
    }

    private void mountLayer(String id, Path layer, Path merged) throws IOException {
        List<String> lowers = lowers(id);
        boolean readWrite = Files.isDirectory(layer.resolve("work"), LinkOption.NOFOLLOW_LINKS);
        if (readWrite) {
            if (lowers.isEmpty()) {
                mounter.bind(layer.resolve("diff"), merged, false);
            } else if (ephemeral.contains(id)
                    || Files.exists(layer.resolve(VOLATILE_MOUNTED), LinkOption.NOFOLLOW_LINKS)) {
                // An ephemeral layer: no sync at unmount (which would flush the whole backing filesystem) and none
                // for the container's fsync(2) either, since the layer is thrown away after the container and
                // after a crash. A volatile mount leaves work/work/incompat/volatile behind so that a mount after a
                // crash fails; an ephemeral layer is never mounted after a crash (the engine removes it), so the
                // mark of an earlier, clean mount is cleared here.
                Path incompat = layer.resolve("work/work/incompat");
                if (Files.exists(incompat, LinkOption.NOFOLLOW_LINKS)) {
                    archiver.removeTree(incompat); // incompat/volatile/dirty
                }
                mounter.mountOverlay(lowers, id + "/diff", id + "/work", merged, false, true);
            } else {
                mounter.mountOverlay(lowers, id + "/diff", id + "/work", merged, false);
            }
        } else if (lowers.isEmpty()) {
            mounter.bind(layer.resolve("diff"), merged, true);
        } else {
            List<String> stack = new ArrayList<>();
            stack.add("l/" + shortName(id));
            stack.addAll(lowers);
            mounter.mountOverlay(stack, null, null, merged, true);
        }
    }

    @Override
    public void unmount(String id) throws IOException {
        synchronized (stripe(id)) {
            synchronized (mounts) {
                Integer count = mounts.get(id);
                if (count == null) {
                    return;
                }
                if (count > 1) {
                    mounts.put(id, count - 1);
                    return;
                }
                mounts.remove(id);
            }
            // Detached, as Docker does: a process still inside keeps its view; the mount goes when it lets go.
            kernel.umount2(home.resolve(id).resolve("merged").toString(), OverlayKernel.MNT_DETACH);
        }
    }

    @Override
    public void writeDiff(String id, OutputStream out) throws IOException {
        archiver.writeTree(requireExisting(id).resolve("diff"), WhiteoutFormat.OVERLAY, out);
    }

    @Override
    public long size(String id) throws IOException {
        return archiver.treeSize(requireExisting(id).resolve("diff"));
    }

    @Override
    public void remove(String id) throws IOException {
        if (!valid(id)) {
            return;
        }
        Path layer = home.resolve(id);
        if (!Files.exists(layer, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        synchronized (stripe(id)) {
            synchronized (mounts) {
                mounts.remove(id);
            }
            umountQuietly(layer.resolve("merged"));
        }
        ephemeral.remove(id);
        String shortName = null;
        try {
            shortName = Files.readString(layer.resolve("link"), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            // a half layer; nothing links to it
        }
        Path doomed = staging.resolve(id + ".removed." + UUID.randomUUID());
        synchronized (commitLock) {
            try {
                Files.move(layer, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return;
            }
            // Not flushed: a layer a power cut brings back is one no record names, which the engine removes at
            // its next start (its record was taken out before this call).
        }
        if (shortName != null && SHORT.matcher(shortName).matches()) {
            Path link = links.resolve(shortName);
            if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(Path.of("../" + id + "/diff"))) {
                Files.delete(link);
            }
        }
        try {
            eraser.execute(() -> {
                try {
                    archiver.removeTree(doomed);
                } catch (IOException | RuntimeException e) {
                    // left in staging: open() clears it
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            archiver.removeTree(doomed);
        }
    }

    /**
     * Releases the mounter but leaves mounted layers mounted: they are the root filesystems of containers that
     * keep running while the daemon restarts or this driver's bundle is swapped, and the next {@link #open} takes
     * them over.
     */
    @Override
    public void close() throws IOException {
        synchronized (mounts) {
            mounts.clear();
        }
        eraser.shutdown();
        try {
            // a store opened next on the same home clears staging itself: the two must not delete side by side
            eraser.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mounter.close();
    }

    private void umountQuietly(Path mountPoint) throws ErrnoException {
        try {
            kernel.umount2(mountPoint.toString(), OverlayKernel.MNT_DETACH);
        } catch (ErrnoException e) {
            // EINVAL: not a mount point; ENOENT: no such directory. Both mean there is nothing to unmount.
            if (e.errno() != ErrnoException.EINVAL && e.errno() != ErrnoException.ENOENT) {
                throw e;
            }
        }
    }

    private List<String> lowers(String id) throws IOException {
        try {
            String lower = Files.readString(home.resolve(id).resolve("lower"), StandardCharsets.US_ASCII).trim();
            return lower.isEmpty() ? List.of() : Arrays.asList(lower.split(":"));
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private String shortName(String id) throws IOException {
        String name = Files.readString(home.resolve(id).resolve("link"), StandardCharsets.US_ASCII).trim();
        if (!SHORT.matcher(name).matches()) {
            throw new IOException("layer " + id + " has a corrupt link file: " + name);
        }
        return name;
    }

    /** 26 base32 characters of 128 random bits, as Docker's overlay2 names its l/ links. */
    private String newShortName() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        StringBuilder out = new StringBuilder(26);
        int buffer = 0;
        int count = 0;
        for (byte b : bits) {
            buffer = (buffer << 8) | (b & 0xff);
            count += 8;
            while (count >= 5) {
                out.append(BASE32[(buffer >> (count - 5)) & 31]);
                count -= 5;
            }
        }
        if (count > 0) {
            out.append(BASE32[(buffer << (5 - count)) & 31]);
        }
        return out.toString();
    }

    private static boolean valid(String id) {
        return id != null && ID.matcher(id).matches() && !RESERVED.contains(id);
    }

    private void checkNew(String id) {
        if (!valid(id)) {
            throw EngineException.invalid("invalid layer id: " + id);
        }
        if (Files.exists(home.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
            throw EngineException.conflict("layer " + id + " already exists");
        }
    }

    private Path requireExisting(String id) {
        if (!exists(id)) {
            throw EngineException.notFound("layer " + id + " does not exist in the overlay2 store");
        }
        return home.resolve(id);
    }

    private static void createDirectory(Path dir, String permissions) throws IOException {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(permissions));
    }

    /** Writes a file of the staging directory (durably if asked); the directory's rename makes it visible. */
    private static void writeFile(Path file, String content, boolean durable) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
            if (durable) {
                ch.force(true);
            }
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
