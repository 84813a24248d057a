package keel.engine.core.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.api.image.ImportOptions;
import keel.engine.api.image.ProgressListener;
import keel.engine.api.storage.LayerStore;
import keel.engine.core.internal.image.ImageStore.NewImage;
import keel.engine.core.internal.image.archive.BadArchiveException;
import keel.engine.core.internal.image.archive.Compression;
import keel.engine.core.internal.image.archive.Platform;
import keel.engine.core.internal.image.changes.DockerfileChanges;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.layer.Digests;
import keel.engine.core.internal.image.layer.LayerDb;
import keel.engine.core.internal.image.layer.LayerIngest;
import keel.engine.core.internal.image.reference.Reference;

/**
 * {@code docker import}: a rootfs tarball (plain, gzip, bzip2 or xz) becomes a one-layer image whose config is
 * made as Docker's import makes it (platform, creation time, the container config from the {@code --change}
 * instructions, one history entry), then tagged when a repository is given.
 */
final class ImageImport {

    private final ImageStore store;

    ImageImport(ImageStore store) {
        this.store = store;
    }

    String importImage(InputStream rootfs, ImportOptions options, ProgressListener progress) {
        // Everything that can be refused is checked before a byte is read.
        Reference ref = options.repository() == null || options.repository().isEmpty() ? null
                : ImageStore.repoTagReference(options.repository(), options.tag());
        Platform platform = platform(options.platform());
        ContainerConfig config = DockerfileChanges.apply(ContainerConfig.EMPTY, options.changes());
        String message = options.message() == null || options.message().isEmpty() ? "Imported from -"
                : options.message();
        LayerStore driver = store.driver();
        Set<String> held = new HashSet<>();
        try {
            Path staging = store.layerDb.newStagingDirectory();
            String cacheId = store.newLayerId();
            LayerDb.Layer layer;
            try {
                LayerIngest.Staged staged;
                try {
                    staged = LayerIngest.apply(driver, cacheId, null, Compression.decompress(rootfs), staging,
                            n -> progress.progress("", "Importing", n, 0));
                } catch (IOException | RuntimeException e) {
                    AtomicFiles.removeTree(staging);
                    throw e;
                }
                layer = store.registerLayer(driver, staged, null, held);
            } finally {
                store.settled(cacheId);
            }
            store.crash.reached("import.layer-registered");
            byte[] raw = configBytes(platform, config, message, layer.diffId(), store.clock.instant());
            String id = Digests.of(raw);
            NewImage img = new NewImage(id, raw, ImageConfig.parse(raw), List.of(layer.chainId()), null);
            store.lock.writeLock().lock();
            try {
                boolean fresh = !store.images.containsKey(id);
                Path journal = fresh ? store.writeJournalLocked(List.of(id)) : null;
                try {
                    store.addImageLocked(img);
                    store.crash.reached("import.image-written");
                    if (ref != null) {
                        store.refs.put(ref, id);
                        store.refs.save();
                        store.touchLocked(id);
                    }
                } catch (IOException | RuntimeException e) {
                    store.refs.load(new java.util.ArrayList<>());
                    if (fresh && store.refs.references(id).isEmpty()) {
                        store.deleteImageLocked(id);
                    }
                    store.closeJournalLocked(journal);
                    throw e;
                }
                store.closeJournalLocked(journal);
            } finally {
                store.lock.writeLock().unlock();
            }
            return id;
        } catch (BadArchiveException | LayerIngest.InvalidLayerException e) {
            throw EngineException.invalid(e.getMessage(), e);
        } catch (FileSystemException e) {
            throw EngineException.system("importing the image failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw EngineException.invalid("failed to register layer: " + e.getMessage(), e);
        } finally {
            store.release(held);
        }
    }

    private static Platform platform(String spec) {
        if (spec == null || spec.isEmpty()) {
            return Platform.host();
        }
        Platform p;
        try {
            p = Platform.parse(spec);
        } catch (IllegalArgumentException e) {
            throw EngineException.invalid(e.getMessage());
        }
        if (!p.os().equals("linux")) {
            throw EngineException.invalid("operating system is not supported");
        }
        return p;
    }

    /**
     * The config Docker's import writes: its image struct encoded with sorted keys (Docker marshals it through a
     * map), {@code created} in RFC 3339 with nanoseconds.
     */
    static byte[] configBytes(Platform platform, ContainerConfig config, String message, String diffId, Instant now)
            throws IOException {
        String created = DockerTime.format(now);
        ObjectNode o = ImageConfig.JSON.createObjectNode();
        o.put("architecture", platform.architecture());
        o.put("comment", message);
        o.set("config", ContainerConfigJson.write(config));
        o.put("created", created);
        ArrayNode history = o.putArray("history");
        ObjectNode h = history.addObject();
        h.put("created", created);
        h.put("comment", message);
        o.put("os", platform.os());
        ObjectNode rootfs = o.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        if (platform.variant() != null && !platform.variant().isEmpty()) {
            o.put("variant", platform.variant());
        }
        return ImageConfig.JSON.writeValueAsBytes(o);
    }
}
