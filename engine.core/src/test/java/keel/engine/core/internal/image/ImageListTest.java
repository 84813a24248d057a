package keel.engine.core.internal.image;

import static keel.engine.core.internal.image.ImageRemovalTest.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.HistoryEntry;
import keel.engine.api.image.ImageSummary;
import keel.engine.core.internal.image.layer.Digests;

/** {@code docker images} with its filters, and {@code docker history}. */
class ImageListTest {

    @TempDir
    Path dir;
    StoreFixture f;
    TestImages.Image busybox;
    TestImages.Image a;
    TestImages.Image b;
    TestImages.Image dangling;

    @BeforeEach
    void open() throws Exception {
        f = new StoreFixture(dir);
        busybox = TestImages.busybox(); // 2024-05-01
        a = TestImages.app("a\n", Map.of("team", "a", "tier", "web"), "2024-06-01T00:00:00Z");
        b = TestImages.app("b\n", Map.of("team", "b"), "2024-07-01T00:00:00+02:00");
        dangling = TestImages.app("c\n", Map.of(), "2024-08-01T00:00:00Z");
        f.load(TestImages.dockerArchive(List.of(new TestImages.Named(busybox, "busybox:latest"),
                new TestImages.Named(a, "team/a:1", "registry.local:5000/a:1"), new TestImages.Named(b, "team/b:1"),
                new TestImages.Named(dangling)), true, false));
    }

    @AfterEach
    void close() {
        f.close();
    }

    private List<String> ids(Map<String, List<String>> filters) {
        List<String> out = new ArrayList<>();
        f.store.list(false, filters).forEach(s -> out.add(s.id()));
        return out;
    }

    @Test
    void listsNewestFirstWithSizesAndLabels() {
        List<ImageSummary> all = f.store.list(false, Map.of());
        assertEquals(List.of(dangling.id(), b.id(), a.id(), busybox.id()), all.stream().map(ImageSummary::id).toList());
        ImageSummary sa = all.get(2);
        assertEquals(List.of("registry.local:5000/a:1", "team/a:1"), sa.repoTags().stream().sorted().toList());
        assertEquals(Map.of("team", "a", "tier", "web"), sa.labels());
        assertEquals(java.time.OffsetDateTime.parse("2024-06-01T00:00:00Z").toEpochSecond(), sa.created());
        assertEquals(f.store.inspect(a.id()).size(), sa.size());
        assertEquals(List.of(), all.get(0).repoTags());
        assertEquals(-1, sa.containers());
    }

    @Test
    void filtersAsDockerDoes() {
        assertEquals(List.of(dangling.id()), ids(Map.of("dangling", List.of("true"))));
        assertEquals(List.of(b.id(), a.id(), busybox.id()), ids(Map.of("dangling", List.of("false"))));
        assertEquals(List.of(a.id()), ids(Map.of("label", List.of("team=a"))));
        assertEquals(List.of(b.id(), a.id()), ids(Map.of("label", List.of("team"))));
        assertEquals(List.of(a.id()), ids(Map.of("label", List.of("team", "tier=web"))));
        assertEquals(List.of(busybox.id()), ids(Map.of("before", List.of("team/a:1"))));
        assertEquals(List.of(dangling.id(), b.id()), ids(Map.of("since", List.of("team/a:1"))));
        assertEquals(List.of(busybox.id()), ids(Map.of("until", List.of("2024-05-15T00:00:00Z"))));
        assertEquals(List.of(busybox.id()), ids(Map.of("until", List.of("1715731200"))));
        assertEquals(List.of(a.id()), ids(Map.of("reference", List.of("team/a"))));
        assertEquals(List.of(b.id(), a.id()), ids(Map.of("reference", List.of("team/*"))));
        assertEquals(List.of(a.id()), ids(Map.of("reference", List.of("*/a:1"))));
        assertEquals(List.of(busybox.id()), ids(Map.of("reference", List.of("busy*:latest"))));
        // The reference filter also narrows the names shown.
        ImageSummary only = f.store.list(false, Map.of("reference", List.of("team/a"))).get(0);
        assertEquals(List.of("team/a:1"), only.repoTags());
        assertInvalid("invalid filter 'colour'", () -> f.store.list(false, Map.of("colour", List.of("red"))));
        assertInvalid("syntax error in pattern", () -> f.store.list(false, Map.of("reference", List.of("[a"))));
        assertInvalid("failed to parse value as time or duration: \"soon\"",
                () -> f.store.list(false, Map.of("until", List.of("soon"))));
        EngineException e = assertThrows(EngineException.class,
                () -> f.store.list(false, Map.of("before", List.of("nope"))));
        assertEquals(EngineException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void historyIsNewestFirstWithLayerSizes() {
        List<HistoryEntry> h = f.store.history("team/a:1");
        assertEquals(3, h.size());
        HistoryEntry cmd = h.get(0);
        assertEquals(a.id(), cmd.id());
        assertEquals(List.of("registry.local:5000/a:1", "team/a:1"), cmd.tags().stream().sorted().toList());
        assertEquals(0, cmd.size());
        assertEquals("CMD [cat, /app/hello.txt] # buildkit", cmd.createdBy());
        assertEquals("<missing>", h.get(1).id());
        assertEquals(f.store.layer(Digests.chainIds(a.diffIds()).get(1)).size(), h.get(1).size());
        assertEquals(f.store.layer(a.diffIds().get(0)).size(), h.get(2).size());
        assertEquals("ADD busybox / # buildkit", h.get(2).createdBy());
        assertEquals(java.time.OffsetDateTime.parse("2024-06-01T00:00:00Z").toEpochSecond(), h.get(2).created());
        assertEquals(f.store.inspect(a.id()).size(), h.get(1).size() + h.get(2).size());
    }

    @Test
    void inspectShowsTheConfigAsDockerDoes() {
        var d = f.store.inspect("team/b:1");
        assertEquals("2024-07-01T00:00:00+02:00", d.created());
        assertEquals("linux", d.os());
        assertEquals(TestImages.hostArch(), d.architecture());
        assertEquals(Map.of("team", "b"), d.config().labels());
        assertEquals("layers", d.rootFS().type());
        assertEquals(ImageStore.NO_TAG_TIME, d.metadata().lastTagTime());
        assertEquals("", d.parent());
    }
}
