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
        AtomicFiles.writeDurably(dir.resolve("diff"), bytes(staged.diffId()));
        AtomicFiles.writeDurably(dir.resolve("size"), bytes(Long.toString(staged.size())));
        AtomicFiles.writeDurably(dir.resolve("cache-id"), bytes(staged.cacheId()));
        if (parentChainId != null) {
            AtomicFiles.writeDurably(dir.resolve("parent"), bytes(parentChainId));
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

    /** Records a container's read-write layer. */
    public void writeMount(Mount m) throws IOException {
        Path dir = AtomicFiles.createStagingDirectory(mounts, "mount");
        try {
            AtomicFiles.writeDurably(dir.resolve("mount-id"), bytes(m.mountId()));
            if (m.parent() != null) {
                AtomicFiles.writeDurably(dir.resolve("parent"), bytes(m.parent()));
            }
            if (m.imageId() != null) {
                AtomicFiles.writeDurably(dir.resolve("image"), bytes(m.imageId()));
            }
            AtomicFiles.publish(dir, mounts.resolve(m.containerId()));
        } catch (IOException | RuntimeException e) {
            AtomicFiles.removeTree(dir);
            throw e;
        }
    }

    /** Takes a container's read-write layer record out (see {@link #retire}). */
    public Path retireMount(String containerId) throws IOException {
        return AtomicFiles.retire(mounts.resolve(containerId));
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
                if (!Digests.isHex64(mountId) || (parent != null && !Digests.isSha256(parent))) {
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
