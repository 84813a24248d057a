package keel.engine.core.internal.image;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.image.HistoryEntry;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.ImageSummary;
import keel.engine.core.internal.image.ImageStore.ImageRecord;
import keel.engine.core.internal.image.layer.LayerDb;
import keel.engine.core.internal.image.reference.FamiliarPattern;
import keel.engine.core.internal.image.reference.Reference;

/** {@code docker images}, {@code docker image inspect} and {@code docker history}, read under the store's read lock. */
final class ImageListing {

    private final ImageStore store;

    ImageListing(ImageStore store) {
        this.store = store;
    }

    /** Docker's image list: filters, intermediate images hidden unless {@code all}, newest first. */
    List<ImageSummary> list(boolean all, Map<String, List<String>> filterArgs) {
        ImageFilters filters = new ImageFilters(filterArgs, ImageFilters.LIST_FILTERS);
        boolean danglingOnly = filters.bool("dangling", false);
        List<FamiliarPattern> patterns = new ArrayList<>();
        for (String p : filters.get("reference")) {
            patterns.add(new FamiliarPattern(p));
        }
        store.lock.readLock().lock();
        try {
            OffsetDateTime before = null;
            for (String b : filters.get("before")) {
                OffsetDateTime t = store.lookupLocked(b).config().createdTime();
                if (t != null && (before == null || t.isBefore(before))) {
                    before = t;
                }
            }
            Instant until = filters.until(store.clock.instant(), false);
            if (until != null) {
                OffsetDateTime u = until.atOffset(java.time.ZoneOffset.UTC);
                if (before == null || u.isBefore(before)) {
                    before = u;
                }
            }
            OffsetDateTime since = null;
            for (String s : filters.get("since")) {
                OffsetDateTime t = store.lookupLocked(s).config().createdTime();
                if (t != null && (since == null || t.isAfter(since))) {
                    since = t;
                }
            }
            List<ImageSummary> out = new ArrayList<>();
            for (ImageRecord img : store.images.values()) {
                OffsetDateTime created = img.config().createdTime();
                if (before != null && (created == null || !created.isBefore(before))) {
                    continue;
                }
                if (since != null && (created == null || !created.isAfter(since))) {
                    continue;
                }
                if (filters.contains("label") && !filters.matchLabels("label", img.config().labels())) {
                    continue;
                }
                boolean hasChildren = !store.childrenLocked(img.id()).isEmpty();
                if (danglingOnly && hasChildren) {
                    continue; // Docker's Heads(): only images without children
                }
                List<String> tags = new ArrayList<>();
                List<String> digests = new ArrayList<>();
                for (Reference r : store.refs.references(img.id())) {
                    if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> p.matches(r))) {
                        continue;
                    }
                    if (r.isCanonical()) {
                        digests.add(r.familiarString());
                    }
                    if (r.isTagged()) {
                        tags.add(r.familiarString());
                    }
                }
                if (tags.isEmpty() && digests.isEmpty()) {
                    if (all || !hasChildren) {
                        if (filters.contains("dangling") && !danglingOnly) {
                            continue;
                        }
                        if (filters.contains("reference")) {
                            continue;
                        }
                    } else {
                        continue;
                    }
                } else if (danglingOnly && !tags.isEmpty()) {
                    continue;
                }
                out.add(new ImageSummary(img.id(), img.parent() == null ? "" : img.parent(), tags, digests,
                        created == null ? 0 : created.toEpochSecond(), store.sizeOf(img), -1,
                        new LinkedHashMap<>(img.config().labels()), -1));
            }
            out.sort(Comparator.comparingLong(ImageSummary::created).reversed());
            return out;
        } finally {
            store.lock.readLock().unlock();
        }
    }

    ImageDetails inspect(String name) {
        store.lock.readLock().lock();
        try {
            ImageRecord img = store.lookupLocked(name);
            ImageConfig c = img.config();
            List<String> tags = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            for (Reference r : store.refs.references(img.id())) {
                if (r.isCanonical()) {
                    digests.add(r.familiarString());
                } else if (r.isTagged()) {
                    tags.add(r.familiarString());
                }
            }
            OffsetDateTime created = c.createdTime();
            // vfs has no driver data (Docker shows "Data": null); other drivers' data is not in the LayerStore API.
            ImageDetails.GraphDriver driver = new ImageDetails.GraphDriver(store.storage.driverName(), null);
            return new ImageDetails(img.id(), tags, digests, img.parent() == null ? "" : img.parent(),
                    nz(c.comment()), created == null ? "" : DockerTime.format(created), nz(c.dockerVersion()),
                    nz(c.author()), c.containerConfig(), nz(c.architecture()), c.variant(), c.os(), c.osVersion(),
                    store.sizeOf(img), driver, new ImageDetails.RootFS("layers", c.diffIds()),
                    new ImageDetails.Metadata(img.lastUpdated() == null ? ImageStore.NO_TAG_TIME : img.lastUpdated()));
        } finally {
            store.lock.readLock().unlock();
        }
    }

    /**
     * Docker's history: one entry per step of {@code config.history}, newest first; a step that made a layer
     * shows that layer's size. The newest step carries the image's ID and tags, older ones those of the parent
     * images (when known) or {@code <missing>}.
     */
    List<HistoryEntry> history(String name) {
        store.lock.readLock().lock();
        try {
            ImageRecord img = store.lookupLocked(name);
            List<String> chains = img.chainIds();
            List<String[]> steps = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            List<ImageConfig.History> hs = img.config().history();
            int layer = 0;
            for (ImageConfig.History h : hs) {
                long size = 0;
                if (!h.emptyLayer()) {
                    if (layer >= chains.size()) {
                        throw keel.engine.api.errors.EngineException.system(
                                "too many non-empty layers in History section", null);
                    }
                    LayerDb.Layer l = store.layers.get(chains.get(layer));
                    size = l == null ? 0 : l.size();
                    layer++;
                }
                sizes.add(size);
                steps.add(new String[] {h.created(), h.createdBy(), h.comment()});
            }
            List<HistoryEntry> out = new ArrayList<>();
            ImageRecord owner = img;
            for (int i = hs.size() - 1; i >= 0; i--) {
                String id = "<missing>";
                List<String> tags = null;
                if (owner != null) {
                    id = owner.id();
                    tags = new ArrayList<>();
                    for (Reference r : store.refs.references(owner.id())) {
                        if (r.isTagged()) {
                            tags.add(r.familiarString());
                        }
                    }
                    owner = owner.parent() == null ? null : store.images.get(owner.parent());
                }
                String[] s = steps.get(i);
                OffsetDateTime t = s[0] == null ? null : ImageConfig.parseTime(s[0]);
                out.add(new HistoryEntry(id, t == null ? 0 : t.toEpochSecond(), nz(s[1]), tags, sizes.get(i),
                        nz(s[2])));
            }
            return out;
        } finally {
            store.lock.readLock().unlock();
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
