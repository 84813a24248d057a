package keel.engine.core.internal.image.layer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.core.internal.image.disk.AtomicFiles;

/**
 * The engine's record of its layers, laid out as Docker's {@code layerdb}: one directory per image layer named by
 * the hex of its ChainID, {@code sha256/<chain>/{diff,size,cache-id,parent,tar-split}}, and one per container
 * read-write layer, {@code mounts/<container>/{mount-id,parent,image}}. Each directory is written under a temporary
 * name and renamed, so an entry exists whole or not at all. Not thread-safe: the image store calls it under its lock.
 */
public final class LayerDb {

    /** An image layer: its identity, its parent's ChainID (null for a base layer) and where the driver keeps it. */
    public record Layer(String chainId, String diffId, String parent, String cacheId, long size) {}

    /** A container's read-write layer on top of image layer {@code parent} (null for an empty rootfs). */
    public record Mount(String containerId, String mountId, String parent, String imageId) {}

    private final Path root;
    private final Path layers;
    private final Path mounts;
    private final Path staging;

    public LayerDb(Path root) {
        this.root = root;
        this.layers = root.resolve("sha256");
        this.mounts = root.resolve("mounts");
        this.staging = root.resolve("tmp");
    }

    public Path root() {
        return root;
    }

    /** A fresh directory on the same filesystem as the entries, for a layer being made. */
    public Path newStagingDirectory() throws IOException {
        return AtomicFiles.createStagingDirectory(staging, "layer");
    }

    /** Removes staging directories and half-removed entries left by a crash; returns what it removed. */
    public List<String> removeLeftovers() throws IOException {
        // a record per container comes and goes in mounts/: spread them (see SpreadDirectories)
        keel.engine.core.internal.image.disk.SpreadDirectories.mark(mounts);
        List<String> removed = new ArrayList<>();
        for (Path dir : List.of(staging, layers, mounts)) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (dir == staging || p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
                        AtomicFiles.removeTree(p);
                        removed.add("removed leftover " + root.relativize(p));
                    }
                }
            }
        }
        return removed;
    }

    /**
     * Registers a staged layer under {@code chainId} by renaming its staging directory into place.
     *
     * @throws java.nio.file.FileAlreadyExistsException when the entry exists (the caller checks first)
     */
    public Layer commit(LayerIngest.Staged staged, String chainId, String parentChainId) throws IOException {
        Path dir = staged.stagingDir();
        // publish() flushes every file of the directory (the tar-split too) before the rename: one flush each.
        AtomicFiles.writeNew(dir.resolve("diff"), bytes(staged.diffId()));
        AtomicFiles.writeNew(dir.resolve("size"), bytes(Long.toString(staged.size())));
        AtomicFiles.writeNew(dir.resolve("cache-id"), bytes(staged.cacheId()));
        if (parentChainId != null) {
            AtomicFiles.writeNew(dir.resolve("parent"), bytes(parentChainId));
        }
        AtomicFiles.publish(dir, entry(chainId));
        return new Layer(chainId, staged.diffId(), parentChainId, staged.cacheId(), staged.size());
    }

    /** The tar-split record of a layer. */
    public Path tarSplit(String chainId) {
        return entry(chainId).resolve(LayerIngest.TAR_SPLIT);
    }

    /**
     * Takes a layer's entry out atomically (see {@link AtomicFiles#retire}); the caller then removes the driver
     * layer and {@linkplain AtomicFiles#removeTree removes} the returned directory.
     */
    public Path retire(String chainId) throws IOException {
        return AtomicFiles.retire(entry(chainId));
    }

    /**
     * Reads every layer entry. Entries that are not whole or not consistent (ChainID not matching its diff and
     * parent) are removed and described in {@code repairs}.
     */
    public Map<String, Layer> readLayers(List<String> repairs) throws IOException {
        Map<String, Layer> out = new LinkedHashMap<>();
        if (!Files.isDirectory(layers)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layers)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    continue;
                }
                String problem = null;
                Layer layer = null;
                try {
                    layer = readLayer(p, name);
                } catch (IOException | RuntimeException e) {
                    problem = e.getMessage();
                }
                if (layer == null) {
                    AtomicFiles.removeTree(p);
                    repairs.add("removed broken layer record " + name + (problem == null ? "" : " (" + problem + ")"));
                    continue;
                }
                out.put(layer.chainId(), layer);
            }
        }
        return out;
    }

    private static Layer readLayer(Path dir, String name) throws IOException {
        if (!Digests.isHex64(name)) {
            return null;
        }
        String diff = AtomicFiles.readText(dir.resolve("diff"));
        String size = AtomicFiles.readText(dir.resolve("size"));
        String cacheId = AtomicFiles.readText(dir.resolve("cache-id"));
        String parent = AtomicFiles.readText(dir.resolve("parent"));
        if (!Digests.isSha256(diff) || size == null || !Digests.isHex64(cacheId)
                || (parent != null && !Digests.isSha256(parent)) || !Files.isRegularFile(dir.resolve(LayerIngest.TAR_SPLIT))) {
            throw new IOException("incomplete");
        }
        String chainId = Digests.SHA256 + name;
        if (!Digests.chainId(parent, diff).equals(chainId)) {
            throw new IOException("ChainID does not match its diff and parent");
        }
        return new Layer(chainId, diff, parent, cacheId, Long.parseLong(size));
    }

    /** Records a container's read-write layer durably. */
    public void writeMount(Mount m) throws IOException {
        writeMount(m, true);
    }

    /**
     * Records a container's read-write layer, durably or not. A record written without flushes (the layer of a
     * container the next start removes anyway) may come back after a power cut missing, or with empty files:
     * {@link #readMounts} drops such a record as broken, and the engine removes records no container owns.
     */
    public void writeMount(Mount m, boolean durable) throws IOException {
        Path dir = AtomicFiles.createStagingDirectory(mounts, "mount");
        try {
            write(dir.resolve("mount-id"), m.mountId(), durable);
            if (m.parent() != null) {
                write(dir.resolve("parent"), m.parent(), durable);
            }
            if (m.imageId() != null) {
                write(dir.resolve("image"), m.imageId(), durable);
            }
            if (durable) {
                AtomicFiles.publishSynced(dir, mounts.resolve(m.containerId()));
            } else {
                java.nio.file.Files.move(dir, mounts.resolve(m.containerId()),
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | RuntimeException e) {
            AtomicFiles.removeTree(dir);
            throw e;
        }
    }

    /** Takes a container's read-write layer record out (see {@link #retire}). */
    public Path retireMount(String containerId) throws IOException {
        return retireMount(containerId, true);
    }

    /**
     * Takes a container's read-write layer record out, flushing the rename only when {@code durable}: a removal
     * lost to a power cut brings the record back, and the engine removes it again at the next start (its container
     * is marked dead, or gone).
     */
    public Path retireMount(String containerId, boolean durable) throws IOException {
        return AtomicFiles.retire(mounts.resolve(containerId), durable);
    }

    private static void write(Path file, String value, boolean durable) throws IOException {
        if (durable) {
            AtomicFiles.writeDurably(file, bytes(value));
        } else {
            AtomicFiles.writeNew(file, bytes(value));
        }
    }

    /** Reads every read-write layer record; broken ones are removed and described in {@code repairs}. */
    public Map<String, Mount> readMounts(List<String> repairs) throws IOException {
        Map<String, Mount> out = new LinkedHashMap<>();
        if (!Files.isDirectory(mounts)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(mounts)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
                    continue;
                }
                String mountId = AtomicFiles.readText(p.resolve("mount-id"));
                String parent = AtomicFiles.readText(p.resolve("parent"));
                String image = AtomicFiles.readText(p.resolve("image"));
                // An empty file is what a record written without flushes can come back as after a power cut.
                if (!Digests.isHex64(mountId) || (parent != null && !Digests.isSha256(parent))
                        || (image != null && image.isEmpty())) {
                    AtomicFiles.removeTree(p);
                    repairs.add("removed broken read-write layer record of container " + name);
                    continue;
                }
                out.put(name, new Mount(name, mountId, parent, image));
            }
        }
        return out;
    }

    private Path entry(String chainId) {
        return layers.resolve(Digests.hex(chainId));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
