package keel.engine.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.HistoryEntry;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.ImageService;
import keel.engine.api.image.ImageSummary;
import keel.engine.api.image.ImportOptions;
import keel.engine.api.image.ProgressListener;
import keel.engine.api.image.PruneReport;

/**
 * An ImageService over a fixed set of images that records what the REST layer passed it. A name starting with
 * {@code fail-} followed by a kind (e.g. {@code fail-conflict}) throws that kind, so tests can walk the error
 * mapping; load, save and import behave as the test sets them.
 */
final class FakeImageService implements ImageService {
    static final String ID = "sha256:" + "ab".repeat(32);
    static final String DIFF_ID = "sha256:" + "cd".repeat(32);

    @FunctionalInterface
    interface Load {
        List<String> load(InputStream archive, ProgressListener progress) throws IOException;
    }

    @FunctionalInterface
    interface Save {
        void save(List<String> names, OutputStream out) throws IOException;
    }

    @FunctionalInterface
    interface Import {
        String importImage(InputStream rootfs, ImportOptions options, ProgressListener progress) throws IOException;
    }

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile Map<String, List<String>> lastFilters;
    volatile Boolean lastAll;
    volatile ImportOptions lastImport;
    volatile long lastBodyBytes;
    volatile Load load = (in, p) -> {
        lastBodyBytes = drain(in);
        return List.of("Loaded image: busybox:latest");
    };
    volatile Save save = (names, out) -> out.write(("tar of " + names).getBytes());
    volatile Import importer = (in, options, p) -> {
        lastBodyBytes = drain(in);
        return "sha256:" + "ef".repeat(32);
    };

    static long drain(InputStream in) throws IOException {
        long n = 0;
        byte[] buf = new byte[65536];
        int r;
        while ((r = in.read(buf)) >= 0) {
            n += r;
        }
        return n;
    }

    static void failFor(String name) {
        if (name.startsWith("fail-")) {
            String kind = name.substring("fail-".length()).toUpperCase().replace('-', '_');
            throw new EngineException(EngineException.Kind.valueOf(kind), "failing as asked: " + name);
        }
        if (name.equals("boom")) {
            throw new IllegalStateException("unexpected breakage");
        }
    }

    private static boolean known(String name) {
        return name.equals("busybox") || name.equals("busybox:latest") || name.startsWith("sha256:abab")
                || name.startsWith("abab") || name.equals("registry.example:5000/team/app:1.0")
                || name.equals("registry.example:5000/team/app@sha256:" + "12".repeat(32));
    }

    private static EngineException noSuchImage(String name) {
        return EngineException.notFound("No such image: " + name);
    }

    @Override
    public List<ImageSummary> list(boolean all, Map<String, List<String>> filters) {
        lastAll = all;
        lastFilters = filters;
        return List.of(
                new ImageSummary(ID, null, List.of("busybox:latest", "registry.example:5000/team/app:1.0"),
                        List.of("busybox@sha256:" + "12".repeat(32)), 1_700_000_000L, 4_261_574L, 0L, null, -1L),
                new ImageSummary("sha256:" + "99".repeat(32), "", null, null, 1_600_000_000L, 1_000L, 0L,
                        Map.of("a", "b"), -1L));
    }

    @Override
    public ImageDetails inspect(String name) {
        calls.add("inspect " + name);
        failFor(name);
        if (!known(name)) {
            throw noSuchImage(name);
        }
        ContainerConfig config = ContainerConfig.builder().env(List.of("PATH=/usr/bin:/bin")).cmd(List.of("sh"))
                .labels(Map.of("org.example", "yes")).build();
        return new ImageDetails(ID, List.of("busybox:latest"), null, null, null,
                "2023-11-14T22:13:20.000000000Z", null, null, config, "amd64", null, "linux", null, 4_261_574L,
                new ImageDetails.GraphDriver("vfs", null), new ImageDetails.RootFS("layers", List.of(DIFF_ID)),
                null);
    }

    @Override
    public List<HistoryEntry> history(String name) {
        calls.add("history " + name);
        failFor(name);
        if (!known(name)) {
            throw noSuchImage(name);
        }
        return List.of(new HistoryEntry(ID, 1_700_000_000L, "/bin/sh -c #(nop)  CMD [\"sh\"]",
                List.of("busybox:latest"), 0L, null),
                new HistoryEntry("<missing>", 1_699_999_000L, "/bin/sh -c #(nop) ADD file:abc in / ", null,
                        4_261_574L, ""));
    }

    @Override
    public void tag(String source, String repository, String tag) {
        calls.add("tag " + source + " " + repository + " " + tag);
        failFor(source);
        if (!known(source)) {
            throw noSuchImage(source);
        }
    }

    @Override
    public List<DeleteItem> remove(String name, boolean force, boolean noPrune) {
        calls.add("remove " + name + " force=" + force + " noprune=" + noPrune);
        failFor(name);
        return List.of(DeleteItem.untagged(name), DeleteItem.deleted(ID));
    }

    @Override
    public PruneReport prune(Map<String, List<String>> filters) {
        lastFilters = filters;
        return new PruneReport(List.of(DeleteItem.deleted("sha256:" + "99".repeat(32))), 1000L);
    }

    @Override
    public List<String> load(InputStream archive, ProgressListener progress) {
        try {
            return load.load(archive, progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void save(List<String> names, OutputStream out) {
        calls.add("save " + names);
        for (String n : names) {
            failFor(n);
        }
        try {
            save.save(names, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String importImage(InputStream rootfs, ImportOptions options, ProgressListener progress) {
        lastImport = options;
        try {
            return importer.importImage(rootfs, options, progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
