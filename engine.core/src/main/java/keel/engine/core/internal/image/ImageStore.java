package keel.engine.core.internal.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.HistoryEntry;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.ImageService;
import keel.engine.api.image.ImageSummary;
import keel.engine.api.image.ImportOptions;
import keel.engine.api.image.ProgressListener;
import keel.engine.api.image.PruneReport;
import keel.engine.api.storage.LayerStore;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.layer.Digests;
import keel.engine.core.internal.image.layer.InitLayer;
import keel.engine.core.internal.image.layer.LayerDb;
import keel.engine.core.internal.image.layer.LayerIngest;
import keel.engine.core.internal.image.reference.Reference;
import keel.engine.core.internal.image.reference.ReferenceStore;
import keel.engine.core.internal.storage.ActiveStorage;

/**
 * The engine's images, on disk as Docker keeps them under {@code <data-root>/image/<driver>}:
 * {@code imagedb/content/sha256/<id>} (config bytes; the image ID is their sha256),
 * {@code imagedb/metadata/sha256/<id>/{parent,lastUpdated}}, {@code layerdb/} ({@link LayerDb}) and
 * {@code repositories.json} ({@link ReferenceStore}).
 *
 * <p>Concurrency: every change of metadata happens under one write lock, in memory and on disk together; reads
 * take the read lock. The slow parts (unpacking an archive, applying a layer, streaming a save, removing a driver
 * layer) run outside the lock. Layers an operation works with are <em>held</em> meanwhile, so that a concurrent
 * remove or prune cannot take them away; a layer nothing references any more is removed when its last holder lets
 * go.
 *
 * <p>Crash safety: every file is replaced atomically and every directory is built under a temporary name, layers
 * before images, images before names; a load or import journals the images it adds and is rolled back at the next
 * start unless its names were saved. {@link #open} reconciles the records with each other and with the driver.
 */
public final class ImageStore implements ImageService, Images {

    private static final System.Logger LOG = System.getLogger(ImageStore.class.getName());
    /** Prefix of this store's scratch directories under {@code <data-root>/tmp}. */
    static final String SCRATCH_PREFIX = "image-";
    static final String NO_TAG_TIME = "0001-01-01T00:00:00Z";

    /** An image as the store holds it. {@code parent} is the parent image's ID or null. */
    record ImageRecord(String id, byte[] rawConfig, ImageConfig config, List<String> chainIds, String parent,
            String lastUpdated) {
        ImageRecord withLastUpdated(String t) {
            return new ImageRecord(id, rawConfig, config, chainIds, parent, t);
        }
    }

    /** A layer taken out of the records, whose driver layer and directory are still to be removed. */
    record RetiredLayer(LayerDb.Layer layer, Path retiredDir) {}

    final Path scratchRoot;
    final ActiveStorage storage;
    final Supplier<ImageUsage> usage;
    final CrashPoints crash;
    final Clock clock;
    final Path metadataRoot;
    private final Path contentDir;
    private final Path metaDir;
    private final Path journalDir;
    final LayerDb layerDb;
    final ReferenceStore refs;

    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Map<String, ImageRecord> images = new HashMap<>();
    final Map<String, LayerDb.Layer> layers = new HashMap<>();
    final Map<String, LayerDb.Mount> mounts = new HashMap<>();
    private final Map<String, Integer> holds = new HashMap<>();
    private final Map<String, Map<String, Integer>> pins = new HashMap<>();
    /** The driver store the records were last reconciled with; a store reopened (driver back) is reconciled again. */
    private volatile LayerStore reconciledWith;
    /** Driver layers being made, not yet recorded: the reconciliation must not take them for leftovers. */
    private final Set<String> creating = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Containers whose read-write layer is being made (guarded by the lock). */
    private final Set<String> mountsBeingMade = new HashSet<>();
    /** Serializes the making of each image's init layer (keyed by the ChainID it sits on). */
    private final Map<String, Object> initLocks = new java.util.concurrent.ConcurrentHashMap<>();
    /** Null: decided by the driver (stacking drivers only); tests force it. */
    private volatile Boolean initLayers;
    final AtomicBoolean pruneRunning = new AtomicBoolean();

    /**
     * @param scratchRoot {@code <data-root>/tmp}, for unpacking archives
     * @param storage     the driver in use and where its metadata lives
     * @param usage       which images containers use (looked up on every check; may change)
     */
    public ImageStore(Path scratchRoot, ActiveStorage storage, Supplier<ImageUsage> usage, CrashPoints crash,
            Clock clock) {
        this.scratchRoot = scratchRoot;
        this.storage = storage;
        this.usage = usage;
        this.crash = crash;
        this.clock = clock;
        this.metadataRoot = storage.metadataRoot();
        this.contentDir = metadataRoot.resolve("imagedb/content/sha256");
        this.metaDir = metadataRoot.resolve("imagedb/metadata/sha256");
        this.journalDir = metadataRoot.resolve("imagedb/journal");
        this.layerDb = new LayerDb(metadataRoot.resolve("layerdb"));
        this.refs = new ReferenceStore(metadataRoot.resolve("repositories.json"));
    }

    public ImageStore(Path scratchRoot, ActiveStorage storage, Supplier<ImageUsage> usage) {
        this(scratchRoot, storage, usage, CrashPoints.NONE, Clock.systemUTC());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Startup

    /**
     * Reads the records and repairs what an earlier crash left: scratch and staging leftovers, half-written
     * entries, images of interrupted loads, names of missing images, and (when the driver is there; otherwise on
     * first use) layers the driver lost or that no record names.
     *
     * @return what was repaired, one sentence per repair (also logged)
     */
    public List<String> open() throws IOException {
        List<String> repairs = new ArrayList<>();
        lock.writeLock().lock();
        try {
            removeScratch(repairs);
            repairs.addAll(layerDb.removeLeftovers());
            removeTempFiles(repairs);
            layers.clear();
            layers.putAll(layerDb.readLayers(repairs));
            mounts.clear();
            mounts.putAll(layerDb.readMounts(repairs));
            dropLayersWithoutParent(repairs);
            readImages(repairs);
            refs.load(repairs);
            rollBackJournals(repairs);
            dropDanglingReferences(repairs);
            reconciledWith = null;
            if (storage.available()) {
                reconcileDriverLocked(storage.store(), repairs);
            }
        } finally {
            lock.writeLock().unlock();
        }
        for (String r : repairs) {
            LOG.log(System.Logger.Level.WARNING, "image store repaired: {0}", r);
        }
        return repairs;
    }

    private void removeScratch(List<String> repairs) throws IOException {
        if (!Files.isDirectory(scratchRoot)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(scratchRoot, SCRATCH_PREFIX + "*")) {
            for (Path p : ds) {
                AtomicFiles.removeTree(p);
                repairs.add("removed scratch directory " + p.getFileName());
            }
        }
    }

    /** Every half-written file or directory ({@link AtomicFiles#TEMP_PREFIX}) anywhere in the records. */
    private void removeTempFiles(List<String> repairs) throws IOException {
        if (!Files.isDirectory(metadataRoot)) {
            return;
        }
        List<Path> found = new ArrayList<>();
        try (var walk = Files.walk(metadataRoot, 5)) {
            walk.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).forEach(found::add);
        }
        for (Path p : found) {
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                AtomicFiles.removeTree(p);
                repairs.add("removed unfinished " + metadataRoot.relativize(p));
            }
        }
    }

    /** Layers whose parent layer is gone cannot be mounted: drop them (repeatedly, up the chains). */
    private void dropLayersWithoutParent(List<String> repairs) throws IOException {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (LayerDb.Layer l : new ArrayList<>(layers.values())) {
                if (l.parent() != null && !layers.containsKey(l.parent())) {
                    dropLayerRecord(l, "its parent layer " + l.parent() + " is missing", repairs);
                    changed = true;
                }
            }
        }
    }

    private void dropLayerRecord(LayerDb.Layer l, String why, List<String> repairs) throws IOException {
        AtomicFiles.removeTree(layerDb.retire(l.chainId()));
        layers.remove(l.chainId());
        repairs.add("dropped layer " + l.chainId() + ": " + why);
    }

    private void readImages(List<String> repairs) throws IOException {
        images.clear();
        if (Files.isDirectory(contentDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(contentDir)) {
                for (Path p : ds) {
                    String hex = p.getFileName().toString();
                    if (hex.startsWith(AtomicFiles.TEMP_PREFIX)) {
                        continue;
                    }
                    String id = Digests.SHA256 + hex;
                    String problem = null;
                    ImageConfig config = null;
                    byte[] raw = null;
                    if (!Digests.isHex64(hex)) {
                        problem = "not an image ID";
                    } else {
                        raw = Files.readAllBytes(p);
                        if (!Digests.of(raw).equals(id)) {
                            problem = "its config does not match its ID";
                        } else {
                            try {
                                config = ImageConfig.parse(raw);
                            } catch (EngineException e) {
                                problem = e.getMessage();
                            }
                        }
                    }
                    if (problem == null) {
                        List<String> chains = Digests.chainIds(config.diffIds());
                        for (String c : chains) {
                            if (!layers.containsKey(c)) {
                                problem = "its layer " + c + " is missing";
                                break;
                            }
                        }
                        if (problem == null) {
                            Path meta = metaDir.resolve(hex);
                            String parent = AtomicFiles.readText(meta.resolve("parent"));
                            String last = AtomicFiles.readText(meta.resolve("lastUpdated"));
                            images.put(id, new ImageRecord(id, raw, config, chains,
                                    Digests.isSha256(parent) ? parent : null, last));
                            continue;
                        }
                    }
                    deleteImageFiles(id);
                    repairs.add("removed image " + id + ": " + problem);
                }
            }
        }
        // A parent that is gone is no parent (Docker's history and child checks then stop there).
        for (ImageRecord img : new ArrayList<>(images.values())) {
            if (img.parent() != null && !images.containsKey(img.parent())) {
                images.put(img.id(), new ImageRecord(img.id(), img.rawConfig(), img.config(), img.chainIds(), null,
                        img.lastUpdated()));
            }
        }
        if (Files.isDirectory(metaDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(metaDir)) {
                for (Path p : ds) {
                    String hex = p.getFileName().toString();
                    if (!hex.startsWith(AtomicFiles.TEMP_PREFIX) && !images.containsKey(Digests.SHA256 + hex)) {
                        AtomicFiles.removeTree(p);
                        repairs.add("removed metadata of missing image sha256:" + hex);
                    }
                }
            }
        }
    }

    /** Images a load or import added but whose names were never saved are rolled back. */
    private void rollBackJournals(List<String> repairs) throws IOException {
        if (!Files.isDirectory(journalDir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(journalDir)) {
            for (Path j : ds) {
                String text = AtomicFiles.readText(j);
                for (String id : text == null ? new String[0] : text.split("\n")) {
                    id = id.trim();
                    if (images.containsKey(id) && refs.references(id).isEmpty()) {
                        deleteImageFiles(id);
                        images.remove(id);
                        repairs.add("rolled back image " + id + " of an interrupted load or import");
                    }
                }
                Files.deleteIfExists(j);
                AtomicFiles.fsyncDirectory(journalDir);
            }
        }
    }

    private void dropDanglingReferences(List<String> repairs) throws IOException {
        boolean changed = false;
        for (Map.Entry<Reference, String> e : refs.snapshot().entrySet()) {
            if (!images.containsKey(e.getValue())) {
                refs.delete(e.getKey());
                repairs.add("dropped name " + e.getKey().familiarString() + " of missing image " + e.getValue());
                changed = true;
            }
        }
        if (changed) {
            refs.save();
        }
    }

    /**
     * Brings the records and the driver's layers into agreement: records of layers the driver lost go (and the
     * images built on them), driver layers no record names are removed, and so are layers no image or container
     * needs any more (leftovers of an interrupted load, import or removal).
     */
    private void reconcileDriverLocked(LayerStore store, List<String> repairs) throws IOException {
        Set<String> ids = store.ids();
        for (LayerDb.Layer l : new ArrayList<>(layers.values())) {
            if (!ids.contains(l.cacheId())) {
                dropLayerRecord(l, "the storage driver has no layer " + l.cacheId(), repairs);
            }
        }
        dropLayersWithoutParent(repairs);
        boolean refsChanged = false;
        for (ImageRecord img : new ArrayList<>(images.values())) {
            for (String c : img.chainIds()) {
                if (!layers.containsKey(c)) {
                    for (Reference r : refs.deleteAll(img.id())) {
                        repairs.add("dropped name " + r.familiarString() + " of broken image " + img.id());
                        refsChanged = true;
                    }
                    deleteImageFiles(img.id());
                    images.remove(img.id());
                    repairs.add("removed image " + img.id() + ": its layer " + c + " is missing");
                    break;
                }
            }
        }
        if (refsChanged) {
            refs.save();
        }
        for (LayerDb.Mount m : new ArrayList<>(mounts.values())) {
            if (!ids.contains(m.mountId()) || (m.parent() != null && !layers.containsKey(m.parent()))) {
                AtomicFiles.removeTree(layerDb.retireMount(m.containerId()));
                mounts.remove(m.containerId());
                store.remove(m.mountId());
                repairs.add("dropped read-write layer record of container " + m.containerId());
            }
        }
        Set<String> named = new HashSet<>();
        layers.values().forEach(l -> named.add(l.cacheId()));
        layers.values().forEach(l -> named.add(InitLayer.idFor(l.chainId())));
        mounts.values().forEach(m -> named.add(m.mountId()));
        for (String id : ids) {
            if (!named.contains(id) && !creating.contains(id)) {
                store.remove(id);
                repairs.add("removed driver layer " + id + " that no record names");
            }
        }
        List<RetiredLayer> unused = retireUnreferencedLocked(new ArrayList<>(layers.keySet()));
        for (RetiredLayer r : unused) {
            store.remove(InitLayer.idFor(r.layer().chainId()));
            store.remove(r.layer().cacheId());
            AtomicFiles.removeTree(r.retiredDir());
            repairs.add("removed layer " + r.layer().chainId() + " that no image uses");
        }
        reconciledWith = store;
    }

    /** The driver's store, after the driver-side reconciliation (at open, or on first use of a store opened later). */
    LayerStore driver() {
        LayerStore store = storage.store();
        if (reconciledWith != store) {
            List<String> repairs = new ArrayList<>();
            lock.writeLock().lock();
            try {
                if (reconciledWith != store) {
                    reconcileDriverLocked(store, repairs);
                }
            } catch (IOException e) {
                throw EngineException.system("reconciling image records with the storage driver failed: "
                        + e.getMessage(), e);
            } finally {
                lock.writeLock().unlock();
            }
            repairs.forEach(r -> LOG.log(System.Logger.Level.WARNING, "image store repaired: {0}", r));
        }
        return store;
    }

    /** A fresh driver layer id, protected from the reconciliation until {@link #settled}. */
    String newLayerId() {
        String id = AtomicFiles.randomHex();
        creating.add(id);
        return id;
    }

    /** The layer {@code id} is recorded or removed: it needs no protection any more. */
    void settled(String id) {
        creating.remove(id);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lookups (caller holds the read or write lock)

    /** Docker's GetImage: by ID (full, or a unique prefix), or by reference. */
    ImageRecord lookupLocked(String name) {
        Reference ref = Reference.parseAny(name);
        if (ref.isDigestOnly()) {
            ImageRecord img = images.get(ref.digest());
            if (img == null) {
                throw EngineException.notFound("No such image: " + ref.digest());
            }
            return img;
        }
        String id = refs.get(ref);
        if (id != null && images.containsKey(id)) {
            return images.get(id);
        }
        ImageRecord byId = searchLocked(name);
        if (byId != null) {
            return byId;
        }
        throw EngineException.notFound("No such image: " + ref.tagNameOnly().familiarString());
    }

    /** The image whose ID starts with {@code term} (with or without {@code sha256:}); null if none or ambiguous. */
    ImageRecord searchLocked(String term) {
        String hex = term.startsWith(Digests.SHA256) ? term.substring(Digests.SHA256.length()) : term;
        if (hex.isEmpty() || !hex.matches("[a-f0-9]+")) {
            return null;
        }
        ImageRecord found = null;
        for (ImageRecord img : images.values()) {
            if (img.id().startsWith(hex, Digests.SHA256.length())) {
                if (found != null) {
                    return null;
                }
                found = img;
            }
        }
        return found;
    }

    List<LayerDb.Layer> layersOf(ImageRecord img) {
        List<LayerDb.Layer> out = new ArrayList<>(img.chainIds().size());
        for (String c : img.chainIds()) {
            out.add(layers.get(c));
        }
        return out;
    }

    /** Sum of the sizes of an image's layers (Docker's image Size). */
    long sizeOf(ImageRecord img) {
        long size = 0;
        for (String c : img.chainIds()) {
            LayerDb.Layer l = layers.get(c);
            if (l != null) {
                size += l.size();
            }
        }
        return size;
    }

    /** Images whose parent is {@code id}. */
    List<ImageRecord> childrenLocked(String id) {
        List<ImageRecord> out = new ArrayList<>();
        for (ImageRecord img : images.values()) {
            if (id.equals(img.parent())) {
                out.add(img);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Layers: registration, holds, garbage

    /**
     * Registers a staged layer as the layer {@code parentChainId + diffId}, or — when that layer exists already
     * (a concurrent load made it first) — discards the staged one and uses the existing. Either way the layer is
     * held for the caller's operation (recorded in {@code held}).
     */
    LayerDb.Layer registerLayer(LayerStore store, LayerIngest.Staged staged, String parentChainId, Set<String> held)
            throws IOException {
        String chainId = Digests.chainId(parentChainId, staged.diffId());
        LayerDb.Layer layer;
        boolean duplicate;
        lock.writeLock().lock();
        try {
            layer = layers.get(chainId);
            duplicate = layer != null;
            if (!duplicate) {
                if (parentChainId != null && !layers.containsKey(parentChainId)) {
                    throw new IllegalStateException("parent layer " + parentChainId + " vanished while held");
                }
                layer = layerDb.commit(staged, chainId, parentChainId);
                layers.put(chainId, layer);
            }
            holdLocked(chainId, held);
        } catch (IOException | RuntimeException e) {
            lock.writeLock().unlock();
            try {
                LayerIngest.discard(store, staged);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        lock.writeLock().unlock();
        if (duplicate) {
            LayerIngest.discard(store, staged);
        }
        crash.reached("layer-registered");
        return layer;
    }

    /** Holds layer {@code chainId} if it exists; returns whether it does. */
    boolean holdIfPresent(String chainId, Set<String> held) {
        lock.writeLock().lock();
        try {
            if (!layers.containsKey(chainId)) {
                return false;
            }
            holdLocked(chainId, held);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    void holdLocked(String chainId, Set<String> held) {
        if (held.add(chainId)) {
            holds.merge(chainId, 1, Integer::sum);
        }
    }

    /** Lets go of an operation's holds and removes the layers that nothing needs any more. */
    void release(Set<String> held) {
        if (held.isEmpty()) {
            return;
        }
        List<RetiredLayer> retired;
        lock.writeLock().lock();
        try {
            for (String c : held) {
                holds.computeIfPresent(c, (k, v) -> v <= 1 ? null : v - 1);
            }
            retired = retireUnreferencedLocked(held);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not release layers; the next start removes them", e);
            return;
        } finally {
            held.clear();
            lock.writeLock().unlock();
        }
        removeRetired(retired);
    }

    /** The layers in use: every layer of every image, below every container layer, and held ones. */
    private Set<String> liveLayersLocked() {
        Set<String> live = new HashSet<>();
        for (ImageRecord img : images.values()) {
            live.addAll(img.chainIds());
        }
        List<String> tops = new ArrayList<>(holds.keySet());
        mounts.values().forEach(m -> {
            if (m.parent() != null) {
                tops.add(m.parent());
            }
        });
        for (String c : tops) {
            for (String p = c; p != null && live.add(p);) {
                LayerDb.Layer l = layers.get(p);
                p = l == null ? null : l.parent();
            }
        }
        return live;
    }

    /**
     * Takes out of the records every layer among {@code candidates} (and below them) that nothing uses, top
     * first. Their driver layers are removed by {@link #removeRetired} after the lock is released.
     */
    List<RetiredLayer> retireUnreferencedLocked(Collection<String> candidates) throws IOException {
        Set<String> live = liveLayersLocked();
        // Remove from the top of each chain down: a layer below may be needed only by one above.
        List<String> order = new ArrayList<>(candidates);
        order.sort((a, b) -> Integer.compare(depth(b), depth(a)));
        List<RetiredLayer> out = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        for (String c : order) {
            for (String p = c; p != null && !live.contains(p) && visited.add(p);) {
                LayerDb.Layer l = layers.get(p);
                if (l == null) {
                    break;
                }
                if (hasChildLayer(p)) {
                    break;
                }
                Path dir = layerDb.retire(p);
                layers.remove(p);
                out.add(new RetiredLayer(l, dir));
                p = l.parent();
            }
        }
        return out;
    }

    private boolean hasChildLayer(String chainId) {
        for (LayerDb.Layer l : layers.values()) {
            if (chainId.equals(l.parent())) {
                return true;
            }
        }
        return false;
    }

    private int depth(String chainId) {
        int d = 0;
        for (LayerDb.Layer l = layers.get(chainId); l != null && l.parent() != null; l = layers.get(l.parent())) {
            d++;
        }
        return d;
    }

    /** Removes retired layers' driver layers and directories (slow; outside the lock). */
    void removeRetired(List<RetiredLayer> retired) {
        if (retired.isEmpty()) {
            return;
        }
        LayerStore store;
        try {
            store = storage.store();
        } catch (EngineException e) {
            LOG.log(System.Logger.Level.WARNING, "storage driver unavailable; the next start removes {0} layers",
                    retired.size());
            return;
        }
        for (RetiredLayer r : retired) {
            try {
                store.remove(InitLayer.idFor(r.layer().chainId())); // its child, if a container ever used it
                initLocks.remove(r.layer().chainId());
                store.remove(r.layer().cacheId());
                crash.reached("layer-removed");
                AtomicFiles.removeTree(r.retiredDir());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove layer " + r.layer().chainId()
                        + "; the next start removes it", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Images: writing, naming, deleting (caller holds the write lock)

    /** A new image to record: verified config bytes, its layers (which exist and are held), its parent. */
    record NewImage(String id, byte[] rawConfig, ImageConfig config, List<String> chainIds, String parent) {}

    /**
     * Writes a journal naming images about to be added, so that a crash before their names are saved rolls them
     * back at the next start. A journal lives within one hold of the write lock (written, images and names saved,
     * closed), so no other operation can complete one of its images meanwhile.
     */
    Path writeJournalLocked(Collection<String> ids) throws IOException {
        Path j = journalDir.resolve(AtomicFiles.randomHex().substring(0, 16));
        AtomicFiles.write(j, String.join("\n", ids).getBytes(StandardCharsets.UTF_8));
        return j;
    }

    /** Removes a journal: its operation completed, or failed and undid its images itself. */
    void closeJournalLocked(Path journal) throws IOException {
        if (journal != null && Files.deleteIfExists(journal)) {
            AtomicFiles.fsyncDirectory(journalDir);
        }
    }

    /** Records an image (config, then metadata) unless it exists. Returns whether it was new. */
    boolean addImageLocked(NewImage img) throws IOException {
        if (images.containsKey(img.id())) {
            return false;
        }
        for (String c : img.chainIds()) {
            if (!layers.containsKey(c)) {
                throw new IllegalStateException("layer " + c + " of image " + img.id() + " is not registered");
            }
        }
        String hex = Digests.hex(img.id());
        if (img.parent() != null) {
            Path staging = AtomicFiles.createStagingDirectory(metaDir, "meta");
            AtomicFiles.writeDurably(staging.resolve("parent"), img.parent().getBytes(StandardCharsets.UTF_8));
            AtomicFiles.removeTree(metaDir.resolve(hex));
            AtomicFiles.publish(staging, metaDir.resolve(hex));
        }
        AtomicFiles.write(contentDir.resolve(hex), img.rawConfig());
        images.put(img.id(), new ImageRecord(img.id(), img.rawConfig(), img.config(), img.chainIds(), img.parent(),
                null));
        return true;
    }

    /** Records the time an image was last tagged (Docker's LastTagTime). */
    void touchLocked(String id) throws IOException {
        String now = DockerTime.format(clock.instant());
        AtomicFiles.write(metaDir.resolve(Digests.hex(id)).resolve("lastUpdated"),
                now.getBytes(StandardCharsets.UTF_8));
        images.computeIfPresent(id, (k, v) -> v.withLastUpdated(now));
    }

    /**
     * Deletes an image's records (its names must be gone already) and retires the layers only it used.
     *
     * @return the layers to remove from the driver, top first
     */
    List<RetiredLayer> deleteImageLocked(String id) throws IOException {
        ImageRecord img = images.get(id);
        if (img == null) {
            return List.of();
        }
        deleteImageFiles(id);
        images.remove(id);
        crash.reached("image-deleted");
        if (img.chainIds().isEmpty()) {
            return List.of();
        }
        return retireUnreferencedLocked(List.of(img.chainIds().get(img.chainIds().size() - 1)));
    }

    /** Config first (the image is gone from then on), then its metadata directory. */
    private void deleteImageFiles(String id) throws IOException {
        String hex = Digests.hex(id);
        Path content = contentDir.resolve(hex);
        if (Files.deleteIfExists(content)) {
            AtomicFiles.fsyncDirectory(contentDir);
        }
        AtomicFiles.removeTree(AtomicFiles.retire(metaDir.resolve(hex)));
    }

    /** A scratch directory under {@code <data-root>/tmp}, removed by the caller (or at the next start). */
    Path newScratchDirectory(String purpose) throws IOException {
        Files.createDirectories(scratchRoot);
        return Files.createDirectory(scratchRoot.resolve(SCRATCH_PREFIX + purpose + "-"
                + AtomicFiles.randomHex().substring(0, 16)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Container-side use (Images)

    int pinCount(String imageId) {
        Map<String, Integer> p = pins.get(imageId);
        return p == null ? 0 : p.values().stream().mapToInt(Integer::intValue).sum();
    }

    String pinHolder(String imageId) {
        Map<String, Integer> p = pins.get(imageId);
        return p == null || p.isEmpty() ? null : p.keySet().iterator().next();
    }

    int mountCount(String imageId) {
        int n = 0;
        for (LayerDb.Mount m : mounts.values()) {
            if (imageId.equals(m.imageId())) {
                n++;
            }
        }
        return n;
    }

    @Override
    public LocalImage resolve(String name) {
        lock.readLock().lock();
        try {
            ImageRecord img = lookupLocked(name);
            return new LocalImage(img.id(), img.config(), List.copyOf(layersOf(img)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void pin(String imageId, String containerId) {
        lock.writeLock().lock();
        try {
            if (!images.containsKey(imageId)) {
                throw EngineException.notFound("No such image: " + imageId);
            }
            pins.computeIfAbsent(imageId, k -> new LinkedHashMap<>()).merge(containerId, 1, Integer::sum);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void unpin(String imageId, String containerId) {
        lock.writeLock().lock();
        try {
            Map<String, Integer> p = pins.get(imageId);
            if (p != null) {
                p.computeIfPresent(containerId, (k, v) -> v <= 1 ? null : v - 1);
                if (p.isEmpty()) {
                    pins.remove(imageId);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public ContainerLayer createContainerLayer(String containerId, String imageId) {
        return createContainerLayer(containerId, imageId, false);
    }

    /**
     * The driver layer is made and its record written outside the lock (both flush to disk when durable): creates
     * of many containers at once overlap instead of queueing behind each other's flushes. The container's id is
     * reserved under the lock meanwhile, and the new driver layer is protected from the reconciliation.
     */
    @Override
    public ContainerLayer createContainerLayer(String containerId, String imageId, boolean ephemeral) {
        if (!containerId.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) {
            throw EngineException.invalid("invalid container ID " + containerId);
        }
        LayerStore store = driver();
        Set<String> held = new HashSet<>();
        String parent;
        String parentCacheId;
        lock.writeLock().lock();
        try {
            if (mounts.containsKey(containerId) || !mountsBeingMade.add(containerId)) {
                throw EngineException.conflict("container " + containerId + " has a read-write layer already");
            }
            ImageRecord img = images.get(imageId);
            if (img == null) {
                mountsBeingMade.remove(containerId);
                throw EngineException.notFound("No such image: " + imageId);
            }
            parent = img.chainIds().isEmpty() ? null : img.chainIds().get(img.chainIds().size() - 1);
            if (parent != null) {
                holdLocked(parent, held);
            }
            parentCacheId = parent == null ? null : layers.get(parent).cacheId();
        } finally {
            lock.writeLock().unlock();
        }
        String mountId = newLayerId();
        boolean recorded = false;
        try {
            if (parent != null && usesInitLayers()) {
                parentCacheId = initLayer(store, parent, parentCacheId); // the image layer is held meanwhile
            }
            if (ephemeral) {
                store.createEphemeral(mountId, parentCacheId);
            } else {
                store.createReadWrite(mountId, parentCacheId);
            }
            LayerDb.Mount m = new LayerDb.Mount(containerId, mountId, parent, imageId);
            layerDb.writeMount(m, !ephemeral);
            recorded = true;
            lock.writeLock().lock();
            try {
                mounts.put(containerId, m);
            } finally {
                lock.writeLock().unlock();
            }
            return new ContainerLayer(containerId, mountId, imageId, parent);
        } catch (IOException | RuntimeException e) {
            try {
                if (recorded) {
                    AtomicFiles.removeTree(layerDb.retireMount(containerId));
                }
                store.remove(mountId);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw EngineException.system("creating the read-write layer of container " + containerId + " failed: "
                    + e.getMessage(), e);
        } finally {
            lock.writeLock().lock();
            try {
                mountsBeingMade.remove(containerId);
            } finally {
                lock.writeLock().unlock();
            }
            settled(mountId);
            release(held);
        }
    }

    /**
     * Whether containers' read-write layers sit on an {@link InitLayer}: with drivers that stack layers (overlay),
     * where an init layer costs a few inodes once per image; not with vfs, where every layer is a full copy.
     */
    boolean usesInitLayers() {
        Boolean forced = initLayers;
        if (forced != null) {
            return forced;
        }
        String driver = storage.driverName();
        return "overlay2".equals(driver) || "overlay".equals(driver);
    }

    /** For tests: init layers on any driver (true), on none (false), or as the driver decides (null). */
    void useInitLayers(Boolean use) {
        initLayers = use;
    }

    /**
     * The driver id of the init layer on top of image layer {@code chainId} (driver id {@code cacheId}), made if
     * it does not exist yet. It is named by no record: it lives and goes with the layer below it (see
     * {@link #removeRetired}, and the reconciliation, which counts it as named while that layer is).
     */
    private String initLayer(LayerStore store, String chainId, String cacheId) throws IOException {
        String id = InitLayer.idFor(chainId);
        synchronized (initLocks.computeIfAbsent(chainId, k -> new Object())) {
            if (!store.exists(id)) {
                store.applyDiff(id, cacheId, new java.io.ByteArrayInputStream(InitLayer.tar()));
            }
        }
        return id;
    }

    @Override
    public ContainerLayer containerLayer(String containerId) {
        lock.readLock().lock();
        try {
            LayerDb.Mount m = mounts.get(containerId);
            return m == null ? null : new ContainerLayer(containerId, m.mountId(), m.imageId(), m.parent());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Set<String> containerLayerOwners() {
        lock.readLock().lock();
        try {
            return new HashSet<>(mounts.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void removeContainerLayer(String containerId) {
        detachContainerLayer(containerId).run();
    }

    /**
     * Takes the record out without flushing (see {@link LayerDb#retireMount(String, boolean)}): the engine's commit
     * point for a removal is elsewhere, and a record a power cut brings back is removed again at the next start.
     */
    @Override
    public Runnable detachContainerLayer(String containerId) {
        LayerStore store = driver();
        LayerDb.Mount m;
        Path retired;
        List<RetiredLayer> unused;
        lock.writeLock().lock();
        try {
            m = mounts.get(containerId);
            if (m == null) {
                return () -> { };
            }
            retired = layerDb.retireMount(containerId, false);
            mounts.remove(containerId);
            unused = m.parent() == null ? List.of() : retireUnreferencedLocked(List.of(m.parent()));
        } catch (IOException e) {
            throw EngineException.system("removing the read-write layer of container " + containerId + " failed: "
                    + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
        return () -> {
            try {
                store.remove(m.mountId());
                AtomicFiles.removeTree(retired);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove the read-write layer of container "
                        + containerId + "; the next start removes it", e);
            }
            removeRetired(unused);
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // ImageService

    @Override
    public List<ImageSummary> list(boolean all, Map<String, List<String>> filters) {
        return new ImageListing(this).list(all, filters);
    }

    @Override
    public ImageDetails inspect(String name) {
        return new ImageListing(this).inspect(name);
    }

    @Override
    public List<HistoryEntry> history(String name) {
        return new ImageListing(this).history(name);
    }

    @Override
    public void tag(String source, String repository, String tag) {
        Reference ref = repoTagReference(repository, tag);
        if (ref.familiarName().equals("sha256")) {
            throw EngineException.invalid("refusing to create an ambiguous tag using digest algorithm as name");
        }
        lock.writeLock().lock();
        try {
            ImageRecord img = lookupLocked(source);
            refs.put(ref, img.id());
            refs.save();
            touchLocked(img.id());
        } catch (IOException e) {
            throw EngineException.system("tagging " + source + " failed: " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Docker's {@code RepoTagReference}: a repository and an optional tag ({@code latest} when empty). */
    static Reference repoTagReference(String repository, String tag) {
        if (repository == null || repository.isEmpty()) {
            throw EngineException.invalid("repository name must have at least one component");
        }
        Reference ref = Reference.parseNormalized(repository);
        if (ref.digest() != null) {
            throw EngineException.invalid("cannot import digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            return ref.withTag(tag);
        }
        return ref.tagNameOnly();
    }

    @Override
    public List<DeleteItem> remove(String name, boolean force, boolean noPrune) {
        return new ImageDeletion(this).remove(name, force, !noPrune);
    }

    @Override
    public PruneReport prune(Map<String, List<String>> filters) {
        return new ImageDeletion(this).prune(filters);
    }

    @Override
    public List<String> load(InputStream archive, ProgressListener progress) {
        return new ImageLoad(this).load(archive, progress == null ? ProgressListener.NONE : progress);
    }

    @Override
    public void save(List<String> names, OutputStream out) {
        new ImageSave(this).save(names, out);
    }

    @Override
    public String importImage(InputStream rootfs, ImportOptions options, ProgressListener progress) {
        return new ImageImport(this).importImage(rootfs, options, progress == null ? ProgressListener.NONE : progress);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Introspection for tests and the daemon's info

    /** Number of images. */
    public int imageCount() {
        lock.readLock().lock();
        try {
            return images.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** ChainIDs of every registered layer. */
    public Set<String> layerChainIds() {
        lock.readLock().lock();
        try {
            return new HashSet<>(layers.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The layer record of a ChainID, or null. */
    public LayerDb.Layer layer(String chainId) {
        lock.readLock().lock();
        try {
            return layers.get(chainId);
        } finally {
            lock.readLock().unlock();
        }
    }
}
