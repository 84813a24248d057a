package keel.storage.vfs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * Layers as full copies, laid out as Docker's vfs driver does:
 *
 * <pre>
 * home/dir/&lt;id&gt;/          the layer's whole tree (its parents' content included)
 * home/meta/&lt;id&gt;.parent    the parent's id, absent for a base layer
 * home/staging/          layers being built or removed; whatever is left here at open is debris of a crash
 * </pre>
 *
 * A layer exists exactly when {@code dir/<id>} does: it is built in {@code staging} (same filesystem) and renamed
 * into place in one step, after its parent record is written, and removed by renaming it back into
 * {@code staging} first. A crash therefore leaves either a whole layer or debris that {@link #open} clears.
 *
 * <p>Size: the contract asks for the layer's own content, so {@link #size} counts the regular files that are new
 * or changed against the parent's tree ({@link ChangedContentSize}), which is what Docker's vfs reports too (its
 * naive diff driver computes DiffSize from the changes, not from the whole directory).
 */
public final class VfsLayerStore implements LayerStore {

    /** Engine ids are 64 hex digits; allow Docker's other shapes (e.g. {@code <id>-init}) but nothing path-like. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Path layers;
    private final Path meta;
    private final Path staging;
    private final LayerArchiver archiver;
    private final String backingFilesystem;
    private final Map<String, Integer> mounts = new HashMap<>();
    /** Guards the step that makes a layer visible or invisible, so that two calls never both create one id. */
    private final Object commitLock = new Object();

    private VfsLayerStore(Path home, LayerArchiver archiver, String backingFilesystem) {
        this.layers = home.resolve("dir");
        this.meta = home.resolve("meta");
        this.staging = home.resolve("staging");
        this.archiver = archiver;
        this.backingFilesystem = backingFilesystem;
    }

    /** Opens (creating when needed) the store in {@code home} and clears what a crash may have left. */
    public static VfsLayerStore open(Path home, LayerArchiver archiver) throws IOException {
        // Layer trees hold setuid binaries and world-writable directories: keep other users out of the whole
        // store, as Docker keeps /var/lib/docker at 0700/0710.
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        VfsLayerStore store = new VfsLayerStore(home.toAbsolutePath(), archiver,
                backingFilesystem(Files.getFileStore(home).type()));
        for (Path d : List.of(store.layers, store.meta, store.staging)) {
            Files.createDirectories(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        }
        store.clearDebris();
        return store;
    }

    private void clearDebris() throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(staging)) {
            for (Path p : left) {
                archiver.removeTree(p);
            }
        }
        // A parent record is written before its layer appears; a crash in between leaves an orphan record.
        try (DirectoryStream<Path> records = Files.newDirectoryStream(meta)) {
            for (Path p : records) {
                String name = p.getFileName().toString();
                boolean orphan = !name.endsWith(".parent")
                        || !Files.isDirectory(layers.resolve(name.substring(0, name.length() - ".parent".length())),
                                LinkOption.NOFOLLOW_LINKS);
                if (orphan) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String backingFilesystem(String mountType) {
        // Docker names the backing filesystem by its statfs magic; ext2/3/4 share one ("extfs").
        return switch (mountType) {
            case "ext2", "ext3", "ext4" -> "extfs";
            case "overlay" -> "overlayfs";
            default -> mountType;
        };
    }

    @Override
    public List<String[]> status() {
        return List.<String[]>of(new String[] {"Backing Filesystem", backingFilesystem});
    }

    @Override
    public boolean exists(String id) {
        return id != null && ID.matcher(id).matches() && Files.isDirectory(layers.resolve(id), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Set<String> ids() throws IOException {
        Set<String> out = new TreeSet<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(layers)) {
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
        Path parentTree = parent == null ? null : tree(parent);
        Path build = staging.resolve(id + "." + UUID.randomUUID());
        try {
            seed(parentTree, build);
            long bytes = archiver.extract(diff, build, WhiteoutFormat.APPLIED);
            commit(id, parent, build);
            return bytes;
        } catch (IOException | RuntimeException | Error e) {
            discard(build, e);
            throw e;
        }
    }

    @Override
    public void createReadWrite(String id, String parent) throws IOException {
        checkNew(id);
        Path parentTree = parent == null ? null : tree(parent);
        Path build = staging.resolve(id + "." + UUID.randomUUID());
        try {
            seed(parentTree, build);
            commit(id, parent, build);
        } catch (IOException | RuntimeException | Error e) {
            discard(build, e);
            throw e;
        }
    }

    private void seed(Path parentTree, Path build) throws IOException {
        if (parentTree != null) {
            archiver.copyTree(parentTree, build);
        } else {
            Files.createDirectory(build);
            Files.setPosixFilePermissions(build, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private void commit(String id, String parent, Path build) throws IOException {
        Path record = meta.resolve(id + ".parent");
        synchronized (commitLock) {
            if (exists(id)) {
                throw EngineException.conflict("layer " + id + " already exists");
            }
            if (parent != null) {
                writeAtomically(record, parent.getBytes(StandardCharsets.UTF_8));
            } else {
                Files.deleteIfExists(record);
            }
            try {
                Files.move(build, layers.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(record);
                throw e;
            }
            fsync(layers);
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
        Path tree = tree(id);
        synchronized (mounts) {
            mounts.merge(id, 1, Integer::sum);
        }
        return tree;
    }

    @Override
    public void unmount(String id) {
        // Nothing is mounted: the count only mirrors the contract (and keeps remove honest about busy layers).
        synchronized (mounts) {
            mounts.computeIfPresent(id, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    @Override
    public void writeDiff(String id, OutputStream out) throws IOException {
        Path tree = tree(id);
        String parent = parentOf(id);
        archiver.writeChanges(parent == null ? null : tree(parent), tree, out);
    }

    @Override
    public long size(String id) throws IOException {
        Path tree = tree(id);
        String parent = parentOf(id);
        return new ChangedContentSize(parent == null ? null : tree(parent)).of(tree);
    }

    @Override
    public void remove(String id) throws IOException {
        if (!exists(id)) {
            return;
        }
        Path doomed = staging.resolve(id + ".removed." + UUID.randomUUID());
        synchronized (commitLock) {
            try {
                Files.move(layers.resolve(id), doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return;
            }
            fsync(layers);
            Files.deleteIfExists(meta.resolve(id + ".parent"));
        }
        synchronized (mounts) {
            mounts.remove(id);
        }
        archiver.removeTree(doomed);
    }

    @Override
    public void close() {
        synchronized (mounts) {
            mounts.clear();
        }
    }

    private void checkNew(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw EngineException.invalid("invalid layer id: " + id);
        }
        if (exists(id)) {
            throw EngineException.conflict("layer " + id + " already exists");
        }
    }

    private Path tree(String id) {
        if (!exists(id)) {
            throw EngineException.notFound("layer " + id + " does not exist in the vfs store");
        }
        return layers.resolve(id);
    }

    private String parentOf(String id) throws IOException {
        try {
            return new String(Files.readAllBytes(meta.resolve(id + ".parent")), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Temporary file in the same directory, fsync, rename over the target, fsync the directory. */
    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file collision writing " + target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsync(target.getParent());
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
