package keel.engine.core.internal.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.ProgressListener;
import keel.engine.api.storage.LayerStore;
import keel.engine.core.internal.image.ImageStore.NewImage;
import keel.engine.core.internal.image.archive.ArchiveSpool;
import keel.engine.core.internal.image.archive.ArchivedImage;
import keel.engine.core.internal.image.archive.BadArchiveException;
import keel.engine.core.internal.image.archive.Compression;
import keel.engine.core.internal.image.archive.DockerArchiveReader;
import keel.engine.core.internal.image.archive.OciLayoutReader;
import keel.engine.core.internal.image.archive.Platform;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.layer.Digests;
import keel.engine.core.internal.image.layer.LayerIngest;
import keel.engine.core.internal.image.reference.Reference;

/**
 * {@code docker load}: unpack the archive into scratch space, read it as a Docker archive (manifest.json) or an OCI
 * layout, apply the layers the store does not have yet (each checked against its blob digest and its DiffID), then
 * record the images and, last, their names. All or nothing: on any error the layers this load made are released
 * (and so removed) and no image or name is recorded; a crash is rolled back at the next start (journal).
 */
final class ImageLoad {

    private final ImageStore store;

    ImageLoad(ImageStore store) {
        this.store = store;
    }

    List<String> load(InputStream archive, ProgressListener progress) {
        LayerStore driver = store.driver();
        Set<String> held = new HashSet<>();
        try {
            Path scratch = store.newScratchDirectory("load");
            try (ArchiveSpool spool = ArchiveSpool.unpack(archive, scratch, ArchiveSpool.Limits.DEFAULT)) {
                List<ArchivedImage> found;
                if (spool.hasFile(DockerArchiveReader.MANIFEST)) {
                    found = DockerArchiveReader.read(spool);
                } else if (OciLayoutReader.isLayout(spool)) {
                    found = OciLayoutReader.read(spool, Platform.host());
                } else {
                    throw new BadArchiveException("invalid archive: it has neither a manifest.json (docker save) nor "
                            + "an oci-layout and index.json (OCI image layout)");
                }
                List<Prepared> prepared = new ArrayList<>();
                for (ArchivedImage image : found) {
                    prepared.add(prepare(driver, image, held, progress));
                }
                List<String> messages = commit(prepared);
                messages.forEach(progress::message);
                return messages;
            }
        } catch (BadArchiveException | LayerIngest.InvalidLayerException e) {
            throw EngineException.invalid(e.getMessage(), e);
        } catch (FileSystemException e) {
            throw EngineException.system("loading images failed: " + e.getMessage(), e);
        } catch (IOException e) {
            // Anything else a layer's bytes made the driver reject (a hostile member name, a bad header).
            throw EngineException.invalid("failed to register layer: " + e.getMessage(), e);
        } finally {
            store.release(held);
        }
    }

    /** An archived image whose layers are all registered and held. */
    private record Prepared(NewImage image, List<Reference> tags) {}

    private Prepared prepare(LayerStore driver, ArchivedImage image, Set<String> held, ProgressListener progress)
            throws IOException {
        ImageConfig config = ImageConfig.parse(image.config());
        List<String> diffIds = config.diffIds();
        if (diffIds.size() != image.layers().size()) {
            throw new BadArchiveException("invalid manifest, layers length mismatch: expected "
                    + image.layers().size() + ", got " + diffIds.size());
        }
        List<String> chains = Digests.chainIds(diffIds);
        String parent = null;
        for (int i = 0; i < diffIds.size(); i++) {
            if (!store.holdIfPresent(chains.get(i), held)) {
                loadLayer(driver, image.layers().get(i), i, diffIds.get(i), parent, held, progress);
            }
            parent = chains.get(i);
        }
        String id = Digests.of(image.config());
        return new Prepared(new NewImage(id, image.config(), config, chains, image.parentId()), image.tags());
    }

    private void loadLayer(LayerStore driver, ArchivedImage.Layer layer, int index, String diffId, String parentChain,
            Set<String> held, ProgressListener progress) throws IOException {
        long total = Files.size(layer.blob());
        if (layer.size() >= 0 && layer.size() != total) {
            throw new BadArchiveException("invalid archive: layer " + layer.digest() + " has " + total
                    + " bytes, its descriptor says " + layer.size());
        }
        String shortId = Digests.shortId(diffId);
        String parentCacheId = null;
        if (parentChain != null) {
            store.lock.readLock().lock();
            try {
                parentCacheId = store.layers.get(parentChain).cacheId();
            } finally {
                store.lock.readLock().unlock();
            }
        }
        Path staging = store.layerDb.newStagingDirectory();
        String cacheId = store.newLayerId();
        try {
            apply(driver, new Job(layer, index, diffId, parentChain, parentCacheId, cacheId, staging, total, shortId),
                    held, progress);
        } finally {
            store.settled(cacheId);
        }
    }

    /** One layer blob to apply as driver layer {@code cacheId}, its record staged in {@code staging}. */
    private record Job(ArchivedImage.Layer layer, int index, String diffId, String parentChain, String parentCacheId,
            String cacheId, Path staging, long total, String shortId) {}

    private void apply(LayerStore driver, Job job, Set<String> held, ProgressListener progress) throws IOException {
        ArchivedImage.Layer layer = job.layer();
        String diffId = job.diffId();
        String shortId = job.shortId();
        long total = job.total();
        Path staging = job.staging();
        LayerIngest.Staged staged = null;
        MessageDigest blobDigest = Digests.sha256();
        try (InputStream raw = Files.newInputStream(layer.blob());
                BlobReader blob = new BlobReader(raw, blobDigest, total, shortId, progress)) {
            progress.progress(shortId, "Loading layer", 0, total);
            staged = LayerIngest.apply(driver, job.cacheId(), job.parentCacheId(), Compression.decompress(blob),
                    staging, null);
            blob.drain();
        } catch (IOException | RuntimeException e) {
            try {
                if (staged != null) {
                    LayerIngest.discard(driver, staged);
                } else {
                    AtomicFiles.removeTree(staging);
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (layer.digest() != null && !Digests.of(blobDigest).equals(layer.digest())) {
            LayerIngest.discard(driver, staged);
            throw new BadArchiveException("invalid archive: layer blob " + layer.digest()
                    + " does not match its digest (got " + Digests.of(blobDigest) + ")");
        }
        if (!staged.diffId().equals(diffId)) {
            LayerIngest.discard(driver, staged);
            throw new BadArchiveException("invalid diffID for layer " + job.index() + ": expected \"" + diffId
                    + "\", got \"" + staged.diffId() + "\"");
        }
        store.crash.reached("load.layer-applied");
        store.registerLayer(driver, staged, job.parentChain(), held);
        progress.progress(shortId, "Loading layer", total, total);
    }

    /** Records the images and then their names, under the lock, journaled; returns Docker's output lines. */
    private List<String> commit(List<Prepared> prepared) throws IOException {
        List<String> messages = new ArrayList<>();
        Map<String, Prepared> byId = new LinkedHashMap<>();
        for (Prepared p : prepared) {
            byId.merge(p.image().id(), p, (a, b) -> {
                List<Reference> tags = new ArrayList<>(a.tags());
                b.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
                return new Prepared(a.image(), tags);
            });
        }
        store.lock.writeLock().lock();
        try {
            List<String> fresh = new ArrayList<>();
            for (String id : byId.keySet()) {
                if (!store.images.containsKey(id)) {
                    fresh.add(id);
                }
            }
            Path journal = fresh.isEmpty() ? null : store.writeJournalLocked(fresh);
            try {
                for (Prepared p : byId.values()) {
                    NewImage img = p.image();
                    // A parent is kept only when it is an image of this archive (Docker's validatedParentLinks).
                    String parent = img.parent() != null && byId.containsKey(img.parent()) ? img.parent() : null;
                    store.addImageLocked(new NewImage(img.id(), img.rawConfig(), img.config(), img.chainIds(), parent));
                }
                store.crash.reached("load.images-written");
                boolean anyTag = false;
                for (Prepared p : byId.values()) {
                    for (Reference tag : p.tags()) {
                        String previous = store.refs.put(tag, p.image().id());
                        if (previous != null && !previous.equals(p.image().id())) {
                            messages.add("The image " + tag.familiarString() + " already exists, renaming the old one "
                                    + "with ID " + previous + " to empty string");
                        }
                        messages.add("Loaded image: " + tag.familiarString());
                        anyTag = true;
                    }
                }
                if (anyTag) {
                    store.refs.save();
                    store.crash.reached("load.refs-written");
                } else {
                    for (String id : byId.keySet()) {
                        messages.add("Loaded image ID: " + id);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Undo: the names (reloaded as saved) and the images this load added.
                store.refs.load(new ArrayList<>());
                for (String id : fresh) {
                    if (store.refs.references(id).isEmpty()) {
                        store.deleteImageLocked(id);
                    }
                }
                store.closeJournalLocked(journal);
                throw e;
            }
            store.closeJournalLocked(journal);
        } finally {
            store.lock.writeLock().unlock();
        }
        return messages;
    }

    /**
     * Reads a layer blob: digests it (to check the archive's blob digest), reports progress in bytes of the blob
     * as Docker's {@code Loading layer} does, and can be drained past the end of the compressed data.
     */
    private static final class BlobReader extends FilterInputStream {
        private final MessageDigest digest;
        private final long total;
        private final String id;
        private final ProgressListener progress;
        private long count;
        private long reported;

        BlobReader(InputStream in, MessageDigest digest, long total, String id, ProgressListener progress) {
            super(in);
            this.digest = digest;
            this.total = total;
            this.id = id;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                count += n;
                if (count - reported >= 1024 * 1024) {
                    reported = count;
                    progress.progress(id, "Loading layer", count, total);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        void drain() throws IOException {
            byte[] buf = new byte[64 * 1024];
            while (read(buf, 0, buf.length) >= 0) {
                // digesting
            }
        }
    }
}
