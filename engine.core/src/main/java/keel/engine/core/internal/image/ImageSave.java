package keel.engine.core.internal.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.errors.EngineException;
import keel.engine.api.storage.LayerStore;
import keel.engine.core.internal.image.ImageStore.ImageRecord;
import keel.engine.core.internal.image.archive.ImageArchiveWriter;
import keel.engine.core.internal.image.archive.Platform;
import keel.engine.core.internal.image.layer.LayerDb;
import keel.engine.core.internal.image.layer.TarReassembler;
import keel.engine.core.internal.image.layer.TarSplitReader;
import keel.engine.core.internal.image.reference.Reference;

/**
 * {@code docker save}: resolves the names as Docker does (a repository name saves all its tags, an ID saves the
 * image untagged), holds the images' layers, and streams the archive, each layer rebuilt byte for byte from its
 * tar-split record and the driver's mount of the layer.
 */
final class ImageSave {

    private final ImageStore store;

    ImageSave(ImageStore store) {
        this.store = store;
    }

    void save(List<String> names, OutputStream out) {
        if (names == null || names.isEmpty()) {
            throw EngineException.invalid("no image names given");
        }
        LayerStore driver = store.driver();
        Set<String> held = new HashSet<>();
        List<ImageArchiveWriter.SavedImage> items = new ArrayList<>();
        try {
            Map<ImageRecord, List<Reference>> chosen = new LinkedHashMap<>();
            store.lock.writeLock().lock();
            try {
                for (Map.Entry<String, List<Reference>> e : select(names).entrySet()) {
                    ImageRecord img = store.images.get(e.getKey());
                    img.chainIds().forEach(c -> store.holdLocked(c, held));
                    chosen.put(img, e.getValue());
                }
            } finally {
                store.lock.writeLock().unlock();
            }
            // Held layers keep their records: they can be read without the lock.
            for (Map.Entry<ImageRecord, List<Reference>> e : chosen.entrySet()) {
                ImageRecord img = e.getKey();
                List<ImageArchiveWriter.SavedLayer> layers = new ArrayList<>();
                for (String chainId : img.chainIds()) {
                    LayerDb.Layer l = store.layer(chainId);
                    Path record = store.layerDb.tarSplit(chainId);
                    layers.add(new ImageArchiveWriter.SavedLayer(l.diffId(), TarSplitReader.tarLength(record),
                            o -> rebuild(driver, l, record, o)));
                }
                ImageConfig c = img.config();
                Platform p = new Platform(c.os(), c.architecture() == null ? "" : c.architecture(), c.variant());
                items.add(new ImageArchiveWriter.SavedImage(img.id(), img.rawConfig(), p, layers, e.getValue()));
            }
            ImageArchiveWriter.write(items, out);
        } catch (IOException e) {
            throw EngineException.system("saving images failed: " + e.getMessage(), e);
        } finally {
            store.release(held);
        }
    }

    private static void rebuild(LayerStore driver, LayerDb.Layer layer, Path record, OutputStream out)
            throws IOException {
        Path root = driver.mount(layer.cacheId());
        try {
            TarReassembler.assemble(record, root, out);
        } finally {
            driver.unmount(layer.cacheId());
        }
    }

    /** Docker's {@code parseNames}: image ID to the tags to record for it, in the order first named. */
    private Map<String, List<Reference>> select(List<String> names) {
        Map<String, List<Reference>> out = new LinkedHashMap<>();
        for (String name : names) {
            Reference ref = Reference.parseAny(name);
            if (ref.isDigestOnly()) {
                if (!store.images.containsKey(ref.digest())) {
                    throw EngineException.notFound("No such image: " + ref.digest());
                }
                add(out, ref.digest(), null);
                continue;
            }
            if (ref.familiarName().equals("sha256")) {
                add(out, byId(name), null);
                continue;
            }
            if (ref.isNameOnly()) {
                List<Map.Entry<Reference, String>> tagged = store.refs.referencesByName(ref);
                for (Map.Entry<Reference, String> e : tagged) {
                    add(out, e.getValue(), e.getKey());
                }
                if (tagged.isEmpty()) {
                    add(out, byId(name), null);
                }
                continue;
            }
            String id = store.refs.get(ref);
            if (id == null || !store.images.containsKey(id)) {
                throw EngineException.notFound("No such image: " + ref.familiarString());
            }
            add(out, id, ref);
        }
        return out;
    }

    private String byId(String name) {
        ImageRecord img = store.searchLocked(name);
        if (img == null) {
            throw EngineException.notFound("No such image: " + name);
        }
        return img.id();
    }

    private static void add(Map<String, List<Reference>> out, String id, Reference ref) {
        List<Reference> tags = out.computeIfAbsent(id, k -> new ArrayList<>());
        if (ref != null && ref.isTagged() && !ref.isCanonical() && !tags.contains(ref)) {
            tags.add(ref);
        }
    }
}
