package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import keel.engine.api.image.ProgressListener;
import keel.engine.api.storage.LayerStore;
import keel.engine.archive.internal.TarLayerArchiver;
import keel.engine.core.internal.image.disk.AtomicFiles;
import keel.engine.core.internal.image.layer.LayerDb;
import keel.engine.core.internal.storage.ActiveStorage;
import keel.storage.vfs.VfsDriver;

/**
 * A data root in a test directory with the real vfs driver (and the real layer archiver) under an
 * {@link ImageStore}, opened as the daemon opens it. {@link #reopen} starts a new store on the same disk, as a
 * daemon restart (after a crash) does.
 */
public final class StoreFixture implements AutoCloseable {

    public final Path dataRoot;
    public final LayerStore driver;
    public final ActiveStorage storage;
    public volatile ImageUsage usage = ImageUsage.NONE;
    public ImageStore store;
    public List<String> lastRepairs = List.of();
    /** Whether containers' layers get an init layer below them (null: as the driver decides, none on vfs). */
    public volatile Boolean initLayers;

    public StoreFixture(Path dataRoot) throws IOException {
        this(dataRoot, CrashPoints.NONE);
    }

    public StoreFixture(Path dataRoot, CrashPoints crash) throws IOException {
        this.dataRoot = dataRoot;
        this.driver = new VfsDriver(new TarLayerArchiver()).open(dataRoot.resolve("vfs"), Map.of());
        this.storage = new ActiveStorage() {
            @Override
            public String driverName() {
                return "vfs";
            }

            @Override
            public LayerStore store() {
                return driver;
            }

            @Override
            public boolean available() {
                return true;
            }

            @Override
            public Path metadataRoot() {
                return dataRoot.resolve("image/vfs");
            }
        };
        reopen(crash);
    }

    /** A new store on the same data root, reconciled as at daemon start. */
    public ImageStore reopen(CrashPoints crash) throws IOException {
        store = new ImageStore(dataRoot.resolve("tmp"), storage, () -> usage, crash, Clock.systemUTC());
        store.useInitLayers(initLayers);
        lastRepairs = store.open();
        return store;
    }

    public ImageStore reopen() throws IOException {
        return reopen(CrashPoints.NONE);
    }

    public List<String> load(byte[] archive) {
        return store.load(new ByteArrayInputStream(archive), ProgressListener.NONE);
    }

    public byte[] save(String... names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.save(List.of(names), out);
        return out.toByteArray();
    }

    public Path metadataRoot() {
        return storage.metadataRoot();
    }

    /**
     * The invariants a store must keep whatever happened to it: every image's config matches its ID and its
     * layers are recorded; every layer record names a driver layer and every driver layer is named by a record;
     * no layer is unused; no scratch, staging or temporary file is left.
     */
    public void assertConsistent() throws IOException {
        Set<String> cacheIds = new HashSet<>();
        for (String chain : store.layerChainIds()) {
            LayerDb.Layer l = store.layer(chain);
            cacheIds.add(l.cacheId());
            assertTrue(driver.exists(l.cacheId()), "driver layer of " + chain);
        }
        Set<String> driverIds = new HashSet<>(driver.ids());
        // an init layer goes with the image layer below it (and exists once a container was made on it)
        driverIds.removeIf(id -> keel.engine.core.internal.image.layer.InitLayer.chainIdOf(id) != null
                && store.layerChainIds().contains(keel.engine.core.internal.image.layer.InitLayer.chainIdOf(id)));
        assertEquals(cacheIds, driverIds, "driver layers and layer records");
        assertEquals(List.of(), leftovers(), "leftover scratch or temporary files");
        Set<String> used = new HashSet<>();
        store.lock.readLock().lock();
        try {
            for (ImageStore.ImageRecord img : store.images.values()) {
                assertEquals(img.id(), TestImages.sha256(
                        Files.readAllBytes(metadataRoot().resolve("imagedb/content/sha256/" + TestImages.hex(img.id())))));
                used.addAll(img.chainIds());
            }
        } finally {
            store.lock.readLock().unlock();
        }
        assertEquals(used, store.layerChainIds(), "layers in use and layers recorded");
    }

    /** Files that only an unfinished operation leaves. */
    public List<String> leftovers() throws IOException {
        List<String> out = new ArrayList<>();
        Path tmp = dataRoot.resolve("tmp");
        if (Files.isDirectory(tmp)) {
            try (Stream<Path> s = Files.list(tmp)) {
                s.forEach(p -> out.add("tmp/" + p.getFileName()));
            }
        }
        Path staging = metadataRoot().resolve("layerdb/tmp");
        if (Files.isDirectory(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                s.forEach(p -> out.add("layerdb/tmp/" + p.getFileName()));
            }
        }
        Path journal = metadataRoot().resolve("imagedb/journal");
        if (Files.isDirectory(journal)) {
            try (Stream<Path> s = Files.list(journal)) {
                s.forEach(p -> out.add("imagedb/journal/" + p.getFileName()));
            }
        }
        if (Files.isDirectory(metadataRoot())) {
            try (Stream<Path> s = Files.walk(metadataRoot())) {
                s.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX))
                        .forEach(p -> out.add(metadataRoot().relativize(p).toString()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            driver.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
