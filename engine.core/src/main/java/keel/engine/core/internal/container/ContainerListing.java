package keel.engine.core.internal.container;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.PruneReport;
import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.image.DockerTime;
import keel.engine.core.internal.image.Images;
import keel.engine.core.internal.image.layer.LayerDb;

/**
 * {@code docker ps} and {@code docker container prune} as Docker computes them (daemon/list.go, prune.go): newest
 * first; stopped containers only with {@code all}, a limit, or a status filter; {@code before}/{@code since} cut the
 * list at a container; the other filters narrow it.
 */
final class ContainerListing {

    private static final AtomicBoolean PRUNING = new AtomicBoolean();

    private final ContainerEngine engine;

    ContainerListing(ContainerEngine engine) {
        this.engine = engine;
    }

    private record Snapshot(ContainerRecord record, String id, String name, Instant created, boolean running,
            boolean paused, boolean startedBefore, int exitCode, String state, String status, String image,
            String imageId, String command, Map<String, String> labels, String networkMode,
            Map<String, EndpointSettings> networks) {}

    List<ContainerSummary> list(boolean all, int limit, boolean size, Map<String, List<String>> raw) {
        ContainerFilters f = new ContainerFilters(raw, ContainerFilters.LIST);
        List<Integer> exited = new ArrayList<>();
        for (String v : f.get("exited")) {
            try {
                exited.add(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw EngineException.invalid("invalid filter 'exited=" + v + "': strconv.Atoi: parsing \"" + v
                        + "\": invalid syntax");
            }
        }
        for (String v : f.get("status")) {
            if (!ContainerFilters.STATES.contains(v)) {
                throw EngineException.invalid("invalid filter 'status=" + v + "': invalid value for state (" + v
                        + "): must be one of " + String.join(", ", ContainerFilters.STATES));
            }
            all = true;
        }
        for (String v : f.get("health")) {
            if (!ContainerFilters.HEALTH.contains(v)) {
                throw EngineException.invalid("invalid filter 'health=" + v + "': invalid value for health (" + v
                        + "): must be one of " + String.join(", ", ContainerFilters.HEALTH));
            }
        }
        boolean taskFilter = f.contains("is-task");
        boolean isTask = f.bool("is-task", false);
        String before = null;
        for (String v : f.get("before")) {
            before = engine.index.lookup(v).id;
        }
        String since = null;
        for (String v : f.get("since")) {
            since = engine.index.lookup(v).id;
        }
        Set<String> ancestors = null;
        if (f.contains("ancestor")) {
            ancestors = new HashSet<>();
            for (String a : f.get("ancestor")) {
                try {
                    ancestors.add(engine.images.resolve(a).id());
                } catch (EngineException e) {
                    // Docker logs and ignores an ancestor it cannot find
                }
            }
        }
        checkPorts(f, "publish");
        checkPorts(f, "expose");

        Instant now = engine.clock.instant();
        List<Snapshot> snaps = new ArrayList<>();
        for (ContainerRecord r : engine.index.all()) {
            snaps.add(snapshot(r, now));
        }
        snaps.sort(Comparator.comparing(Snapshot::created).reversed().thenComparing(Snapshot::id));

        List<Snapshot> candidates = snaps;
        if (f.contains("id") || f.contains("name")) {
            candidates = new ArrayList<>();
            for (Snapshot s : snaps) {
                boolean idHit = false;
                for (String v : f.get("id")) {
                    idHit |= s.id.startsWith(v);
                }
                boolean nameHit = f.contains("name") && (!f.contains("id") || idHit)
                        && (f.match("name", s.name) || f.match("name", s.name.substring(1)));
                if (idHit || nameHit) {
                    candidates.add(s);
                }
            }
        }

        List<ContainerSummary> out = new ArrayList<>();
        for (Snapshot s : candidates) {
            if (before != null) {
                if (s.id.equals(before)) {
                    before = null;
                }
                continue;
            }
            if (since != null && s.id.equals(since)) {
                break;
            }
            if (!s.running && !all && limit <= 0) {
                continue;
            }
            if (!f.match("name", s.name) && !f.match("name", s.name.substring(1))) {
                continue;
            }
            if (!f.match("id", s.id)) {
                continue;
            }
            if (taskFilter && isTask) {
                continue; // Keel has no swarm tasks
            }
            if (!f.matchLabels("label", s.labels)) {
                continue;
            }
            if (limit > 0 && out.size() == limit) {
                break;
            }
            if (!exited.isEmpty() && !(exited.contains(s.exitCode) && !s.running && s.startedBefore)) {
                continue;
            }
            if (!f.match("status", s.state)) {
                continue;
            }
            if (f.contains("health") && !f.get("health").contains("none")) {
                continue; // no health checks run yet: every container's health is "none"
            }
            if (f.contains("volume")) {
                continue; // no volumes yet
            }
            if (ancestors != null && !ancestors.contains(s.imageId)) {
                continue;
            }
            if (f.contains("network") && !onNetwork(s, f.get("network"))) {
                continue;
            }
            if (f.contains("publish") || f.contains("expose")) {
                continue; // no ports are published yet
            }
            out.add(summary(s, size));
        }
        return out;
    }

    private static void checkPorts(ContainerFilters f, String key) {
        for (String v : f.get(key)) {
            if (v.contains(":")) {
                throw EngineException.invalid("filter for '" + key + "' should not contain ':': " + v);
            }
        }
    }

    private static boolean onNetwork(Snapshot s, List<String> values) {
        for (String v : values) {
            if (s.networks.containsKey(v)) {
                return true;
            }
            for (EndpointSettings e : s.networks.values()) {
                if (e != null && e.networkID() != null && !v.isEmpty() && e.networkID().startsWith(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Snapshot snapshot(ContainerRecord r, Instant now) {
        synchronized (r) {
            StringBuilder command = new StringBuilder(r.path == null ? "" : r.path);
            for (String a : r.args) {
                command.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
            }
            return new Snapshot(r, r.id, r.name, r.created, r.running, r.paused, r.startedAt != null, r.exitCode,
                    r.status(), r.statusText(now), r.config.image(), r.imageId, command.toString(),
                    r.config.labels() == null ? Map.of() : r.config.labels(), r.hostConfig.networkMode(),
                    new LinkedHashMap<>(r.networks));
        }
    }

    private ContainerSummary summary(Snapshot s, boolean size) {
        Long sizeRw = null;
        Long sizeRootFs = null;
        if (size) {
            long[] sizes = sizes(s.id, s.imageId);
            sizeRw = sizes[0];
            sizeRootFs = sizes[1];
        }
        return new ContainerSummary(s.id, List.of(s.name), displayImage(s.image, s.imageId), s.imageId, s.command,
                s.created.getEpochSecond(), s.running ? engine.networking.summaryPorts(s.id, s.record.config)
                        : List.of(), sizeRw, sizeRootFs, s.labels, s.state, s.status,
                s.networkMode, s.networks, List.of());
    }

    /** Docker's refreshImage: the image as named, unless that name now means another image (or none). */
    private String displayImage(String image, String imageId) {
        if (image == null || image.isEmpty() || image.equals(imageId)) {
            return imageId;
        }
        try {
            return engine.images.resolve(image).id().equals(imageId) ? image : imageId;
        } catch (EngineException e) {
            return imageId;
        }
    }

    /** The read-write layer's size and the whole root filesystem's (image layers included). */
    long[] sizes(String id, String imageId) {
        long rw = 0;
        try {
            Images.ContainerLayer layer = engine.images.containerLayer(id);
            if (layer != null) {
                rw = engine.storage.store().size(layer.mountId());
            }
        } catch (IOException | RuntimeException e) {
            rw = 0;
        }
        long root = rw;
        try {
            for (LayerDb.Layer l : engine.images.resolve(imageId).layers()) {
                root += l.size();
            }
        } catch (RuntimeException e) {
            // the image was force-removed: its layers are counted nowhere
        }
        return new long[] {rw, root};
    }

    PruneReport prune(Map<String, List<String>> raw) {
        ContainerFilters f = new ContainerFilters(raw, ContainerFilters.PRUNE);
        Instant until = null;
        if (f.get("until").size() > 1) {
            throw EngineException.invalid("more than one until filter specified");
        }
        if (f.contains("until")) {
            until = DockerTime.parseTimestamp(f.get("until").get(0), engine.clock.instant());
        }
        if (!PRUNING.compareAndSet(false, true)) {
            throw EngineException.conflict("a prune operation is already running");
        }
        try {
            List<String> deleted = new ArrayList<>();
            long reclaimed = 0;
            for (ContainerRecord r : engine.index.all()) {
                Map<String, String> labels;
                Instant created;
                String imageId;
                synchronized (r) {
                    if (r.running || r.removalInProgress) {
                        continue;
                    }
                    labels = r.config.labels() == null ? Map.of() : r.config.labels();
                    created = r.created;
                    imageId = r.imageId;
                }
                if (until != null && !created.isBefore(until)) {
                    continue;
                }
                if (!f.matchLabels("label", labels)) {
                    continue;
                }
                if (f.contains("label!") && f.matchLabels("label!", labels)) {
                    continue;
                }
                long rw = sizes(r.id, imageId)[0];
                try {
                    engine.removeInternal(r, false, r.id);
                } catch (EngineException e) {
                    continue;
                }
                deleted.add(r.id);
                reclaimed += rw;
            }
            return new PruneReport(deleted, reclaimed);
        } finally {
            PRUNING.set(false);
        }
    }
}
