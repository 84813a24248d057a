package keel.engine.core.internal.image;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.PruneReport;
import keel.engine.core.internal.image.ImageStore.ImageRecord;
import keel.engine.core.internal.image.ImageStore.RetiredLayer;
import keel.engine.core.internal.image.layer.Digests;
import keel.engine.core.internal.image.layer.LayerDb;
import keel.engine.core.internal.image.reference.Reference;

/**
 * {@code docker rmi} and {@code docker image prune} with Docker's rules: a name is untagged and the image deleted
 * once no name is left; an ID deletes the image, refused (409) while other repositories name it, while it has
 * child images, or while containers use it (stopped ones only without force). Deleting an image releases the
 * layers no other image or container needs; they are reported as {@code Deleted} lines after the image.
 *
 * <p>All record changes happen under the store's write lock (names saved first, then the image, then its
 * layers' records); driver layers are removed after the lock is released.
 */
final class ImageDeletion {

    private static final int CONFLICT_DEPENDENT_CHILD = 1;
    private static final int CONFLICT_RUNNING_CONTAINER = 2;
    private static final int CONFLICT_ACTIVE_REFERENCE = 4;
    private static final int CONFLICT_STOPPED_CONTAINER = 8;
    private static final int CONFLICT_HARD = CONFLICT_DEPENDENT_CHILD | CONFLICT_RUNNING_CONTAINER;
    private static final int CONFLICT_SOFT = CONFLICT_ACTIVE_REFERENCE | CONFLICT_STOPPED_CONTAINER;

    private final ImageStore store;
    private final List<RetiredLayer> retired = new ArrayList<>();

    ImageDeletion(ImageStore store) {
        this.store = store;
    }

    /** A conflict preventing a deletion: Docker's {@code imageDeleteConflict}. */
    private static final class Conflict extends EngineException {
        private static final long serialVersionUID = 1L;
        final boolean used;

        Conflict(String imageId, boolean hard, boolean used, String message) {
            super(Kind.CONFLICT, "conflict: unable to delete " + Digests.shortId(imageId) + " ("
                    + (hard ? "cannot be forced" : "must be forced") + ") - " + message);
            this.used = used;
        }
    }

    List<DeleteItem> remove(String name, boolean force, boolean prune) {
        store.driver();
        List<DeleteItem> records = new ArrayList<>();
        store.lock.writeLock().lock();
        try {
            removeLocked(name, force, prune, records);
        } catch (IOException e) {
            throw EngineException.system("removing image " + name + " failed: " + e.getMessage(), e);
        } finally {
            store.lock.writeLock().unlock();
            store.removeRetired(retired);
        }
        return records;
    }

    /** Docker's {@code ImageDelete}. */
    private void removeLocked(String name, boolean force, boolean prune, List<DeleteItem> records) throws IOException {
        ImageRecord img = store.lookupLocked(name);
        String id = img.id();
        List<Reference> repoRefs = store.refs.references(id);
        boolean removedRepositoryRef = false;
        if (!isImageIdPrefix(id, name)) {
            // A name was given: remove it. The last name of an image a container uses needs force, since the
            // image would be left dangling under the container.
            if (!force && isSingleReference(repoRefs)) {
                String ctr = anyContainerUsing(id);
                if (ctr != null) {
                    throw EngineException.conflict("conflict: unable to remove repository reference \"" + name
                            + "\" (must force) - container " + Digests.shortId(ctr)
                            + " is using its referenced image " + Digests.shortId(id));
                }
            }
            Reference parsed = Reference.parseNormalized(name).tagNameOnly();
            store.refs.delete(parsed);
            records.add(DeleteItem.untagged(parsed.familiarString()));
            repoRefs = store.refs.references(id);
            if (!parsed.isCanonical()) {
                // The last tag of a repository gone: its digest references go with it.
                boolean tagLeft = repoRefs.stream().anyMatch(r -> !r.isCanonical() && r.name().equals(parsed.name()));
                if (!tagLeft) {
                    List<Reference> remaining = new ArrayList<>();
                    for (Reference r : repoRefs) {
                        if (r.isCanonical() && r.name().equals(parsed.name())) {
                            store.refs.delete(r);
                            records.add(DeleteItem.untagged(r.familiarString()));
                        } else {
                            remaining.add(r);
                        }
                    }
                    repoRefs = remaining;
                }
            }
            store.refs.save();
            store.crash.reached("remove.untagged");
            if (!repoRefs.isEmpty()) {
                return;
            }
            removedRepositoryRef = true;
        } else if (isSingleReference(repoRefs)) {
            // An ID with names in one repository only: those names go with the image.
            int mask = CONFLICT_HARD | (force ? 0 : CONFLICT_SOFT & ~CONFLICT_ACTIVE_REFERENCE);
            Conflict c = conflict(id, mask);
            if (c != null) {
                throw c;
            }
            for (Reference r : repoRefs) {
                store.refs.delete(r);
                records.add(DeleteItem.untagged(r.familiarString()));
            }
            store.refs.save();
            store.crash.reached("remove.untagged");
        }
        deleteHelper(id, records, force, prune, removedRepositoryRef);
    }

    /** Docker's {@code imageDeleteHelper}. */
    private void deleteHelper(String id, List<DeleteItem> records, boolean force, boolean prune, boolean quiet)
            throws IOException {
        Conflict c = conflict(id, CONFLICT_HARD | (force ? 0 : CONFLICT_SOFT));
        if (c != null) {
            if (quiet && (!isDangling(id) || c.used)) {
                return;
            }
            throw c;
        }
        ImageRecord img = store.images.get(id);
        String parent = img.parent();
        List<Reference> names = store.refs.deleteAll(id);
        if (!names.isEmpty()) {
            store.refs.save();
            names.forEach(r -> records.add(DeleteItem.untagged(r.familiarString())));
        }
        List<RetiredLayer> gone = store.deleteImageLocked(id);
        retired.addAll(gone);
        records.add(DeleteItem.deleted(id));
        for (RetiredLayer r : gone) {
            records.add(DeleteItem.deleted(r.layer().chainId()));
        }
        if (prune && parent != null && store.images.containsKey(parent)) {
            deleteHelper(parent, records, false, true, true);
        }
    }

    /** Docker's {@code checkImageDeleteConflict}, with containers from {@link ImageUsage} and the store's pins. */
    private Conflict conflict(String id, int mask) {
        if ((mask & CONFLICT_DEPENDENT_CHILD) != 0 && !store.childrenLocked(id).isEmpty()) {
            return new Conflict(id, true, false, "image has dependent child images");
        }
        ImageUsage u = store.usage.get();
        if ((mask & CONFLICT_RUNNING_CONTAINER) != 0) {
            String running = u.containerUsing(id, true);
            if (running != null) {
                return new Conflict(id, true, true, "image is being used by running container "
                        + Digests.shortId(running));
            }
            String creating = store.pinHolder(id);
            if (creating != null) {
                return new Conflict(id, true, true, "image is being used by container " + Digests.shortId(creating));
            }
        }
        if ((mask & CONFLICT_ACTIVE_REFERENCE) != 0 && !store.refs.references(id).isEmpty()) {
            return new Conflict(id, false, false, "image is referenced in multiple repositories");
        }
        if ((mask & CONFLICT_STOPPED_CONTAINER) != 0) {
            int count = Math.max(u.containersUsing(id), store.mountCount(id));
            if (count > 0) {
                String stopped = u.containerUsing(id, false);
                if (stopped == null) {
                    stopped = mountHolder(id);
                }
                return new Conflict(id, false, true, stopped != null
                        ? "image is being used by stopped container " + Digests.shortId(stopped)
                        : "image is being used by " + count + " container" + (count == 1 ? "" : "s"));
            }
        }
        return null;
    }

    private String anyContainerUsing(String id) {
        ImageUsage u = store.usage.get();
        String c = u.containerUsing(id, true);
        if (c == null) {
            c = u.containerUsing(id, false);
        }
        if (c == null) {
            c = store.pinHolder(id);
        }
        if (c == null) {
            c = mountHolder(id);
        }
        if (c == null && u.containersUsing(id) > 0) {
            c = "(unknown)";
        }
        return c;
    }

    private String mountHolder(String id) {
        for (LayerDb.Mount m : store.mounts.values()) {
            if (id.equals(m.imageId())) {
                return m.containerId();
            }
        }
        return null;
    }

    private boolean isDangling(String id) {
        return store.refs.references(id).isEmpty() && store.childrenLocked(id).isEmpty();
    }

    /** Whether {@code name} is a prefix of the image ID, with or without {@code sha256:}. */
    static boolean isImageIdPrefix(String imageId, String name) {
        return imageId.startsWith(name) || imageId.substring(Digests.SHA256.length()).startsWith(name);
    }

    /** All names from one repository, at most one of them a tag (Docker's {@code isSingleReference}). */
    static boolean isSingleReference(List<Reference> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        Reference single = null;
        java.util.Set<String> canonicalNames = new java.util.HashSet<>();
        for (Reference r : refs) {
            if (r.isCanonical()) {
                canonicalNames.add(r.name());
            } else if (single == null) {
                single = r;
            } else {
                return false;
            }
        }
        if (single == null) {
            single = refs.get(0);
        }
        return canonicalNames.size() == 1 && canonicalNames.contains(single.name());
    }

    /** Docker's {@code ImagesPrune}. */
    PruneReport prune(Map<String, List<String>> filterArgs) {
        ImageFilters filters = new ImageFilters(filterArgs, ImageFilters.PRUNE_FILTERS);
        boolean danglingOnly = filters.bool("dangling", true);
        Instant until = filters.until(store.clock.instant(), true);
        if (!store.pruneRunning.compareAndSet(false, true)) {
            throw EngineException.conflict("a prune operation is already running");
        }
        store.driver();
        List<DeleteItem> deleted = new ArrayList<>();
        Map<String, Long> layerSizes = new HashMap<>();
        try {
            store.lock.writeLock().lock();
            try {
                store.layers.values().forEach(l -> layerSizes.put(l.chainId(), l.size()));
                List<ImageRecord> candidates = new ArrayList<>();
                for (ImageRecord img : store.images.values()) {
                    boolean hasChildren = !store.childrenLocked(img.id()).isEmpty();
                    if (danglingOnly && hasChildren) {
                        continue;
                    }
                    if (store.refs.references(img.id()).isEmpty() && hasChildren) {
                        continue;
                    }
                    OffsetDateTime created = img.config().createdTime();
                    if (until != null && (created == null || created.toInstant().isAfter(until))) {
                        continue;
                    }
                    java.util.Map<String, String> labels = img.config().labels();
                    if (!filters.matchLabels("label", labels)) {
                        continue;
                    }
                    if (filters.contains("label!") && filters.matchLabels("label!", labels)) {
                        continue;
                    }
                    candidates.add(img);
                }
                for (ImageRecord img : candidates) {
                    if (!store.images.containsKey(img.id())) {
                        continue; // removed with an earlier candidate
                    }
                    List<Reference> names = store.refs.references(img.id());
                    if (!names.isEmpty()) {
                        boolean hasTag = names.stream().anyMatch(Reference::isTagged);
                        if (danglingOnly && hasTag) {
                            continue;
                        }
                        for (Reference r : names) {
                            tryRemove(r.toString(), deleted);
                        }
                    } else {
                        tryRemove(Digests.hex(img.id()), deleted);
                    }
                }
            } finally {
                store.lock.writeLock().unlock();
                store.removeRetired(retired);
            }
        } finally {
            store.pruneRunning.set(false);
        }
        long reclaimed = 0;
        for (DeleteItem d : deleted) {
            if (d.deleted() != null) {
                reclaimed += layerSizes.getOrDefault(d.deleted(), 0L);
            }
        }
        return new PruneReport(deleted, reclaimed);
    }

    /** One deletion of a prune; conflicts (an image in use) just skip the image, as Docker's prune does. */
    private void tryRemove(String name, List<DeleteItem> deleted) {
        List<DeleteItem> records = new ArrayList<>();
        try {
            removeLocked(name, false, true, records);
        } catch (EngineException e) {
            if (e.kind() != EngineException.Kind.CONFLICT && e.kind() != EngineException.Kind.NOT_FOUND) {
                System.getLogger(ImageDeletion.class.getName()).log(System.Logger.Level.WARNING,
                        "failed to prune image " + name + ": " + e.getMessage());
            }
        } catch (IOException e) {
            System.getLogger(ImageDeletion.class.getName()).log(System.Logger.Level.WARNING,
                    "failed to prune image " + name + ": " + e.getMessage());
        }
        deleted.addAll(records);
    }
}
