package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.config;
import static keel.engine.core.internal.container.ContainerFixture.expect;
import static keel.engine.core.internal.container.ContainerFixture.host;
import static keel.engine.core.internal.container.ContainerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.PruneReport;
import keel.engine.api.errors.EngineException.Kind;

/** docker ps and prune: ordering, status strings, every filter Docker knows, and its errors. */
class ContainerListTest {

    @TempDir
    Path dir;
    ContainerFixture f;
    ContainerEngine engine;
    String created;
    String exited;
    String running;

    @BeforeEach
    void open() throws Exception {
        f = new ContainerFixture(dir, new FakeRuntime(), new ContainerFixture.StubSpecs());
        engine = f.open();
        created = engine.create("created", request(ContainerConfig.builder().image("busybox").cmd(List.of("true"))
                .labels(Map.of("tier", "db")).build(), host("networkMode", "host"))).id();
        Thread.sleep(2);
        exited = f.run("exited", "exit", "3");
        f.awaitExit(exited);
        Thread.sleep(2);
        running = engine.create("running", request(ContainerConfig.builder().image("busybox")
                .cmd(List.of("sleep")).labels(Map.of("tier", "web")).build(), host("networkMode", "none"))).id();
        f.sandboxes = new ContainerFixture.FakeSandboxes();
        f.networkDrivers.add(new ContainerFixture.FakeNoneDriver(), Map.of("driver.name", "none"));
        engine.start(running);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private List<String> ids(boolean all, Map<String, List<String>> filters) {
        return engine.list(all, 0, false, filters).stream().map(ContainerSummary::id).toList();
    }

    @Test
    void runningOnlyUnlessAllNewestFirst() {
        assertEquals(List.of(running), ids(false, Map.of()));
        assertEquals(List.of(running, exited, created), ids(true, Map.of()));
        assertEquals(List.of(running, exited), engine.list(false, 2, false, Map.of()).stream()
                .map(ContainerSummary::id).toList(), "a limit lists stopped containers too");
    }

    @Test
    void summariesAreDockers() {
        Map<String, ContainerSummary> byId = new java.util.HashMap<>();
        engine.list(true, 0, true, Map.of()).forEach(s -> byId.put(s.id(), s));
        ContainerSummary r = byId.get(running);
        assertEquals(List.of("/running"), r.names());
        assertEquals("busybox", r.image());
        assertTrue(r.imageID().startsWith("sha256:"));
        assertEquals("sleep", r.command());
        assertEquals("running", r.state());
        assertTrue(r.status().startsWith("Up "), r.status());
        assertEquals("none", r.networkMode());
        assertTrue(r.networks().containsKey("none"));
        assertEquals(Map.of("tier", "web"), r.labels());
        assertTrue(r.sizeRootFs() >= r.sizeRw());
        assertTrue(r.sizeRootFs() > 1_000_000, "busybox counts: " + r.sizeRootFs());
        assertTrue(byId.get(exited).status().matches("Exited \\(3\\) (Less than a second|\\d+ seconds?) ago"),
                byId.get(exited).status());
        assertEquals("exited", byId.get(exited).state());
        assertEquals("Created", byId.get(created).status());
        assertEquals("created", byId.get(created).state());
    }

    @Test
    void statusTextsFollowGoUnits() {
        assertEquals("Less than a second", HumanDuration.of(Duration.ofMillis(400)));
        assertEquals("1 second", HumanDuration.of(Duration.ofSeconds(1)));
        assertEquals("59 seconds", HumanDuration.of(Duration.ofSeconds(59)));
        assertEquals("About a minute", HumanDuration.of(Duration.ofSeconds(119)));
        assertEquals("2 minutes", HumanDuration.of(Duration.ofMinutes(2)));
        assertEquals("About an hour", HumanDuration.of(Duration.ofMinutes(89)));
        assertEquals("2 hours", HumanDuration.of(Duration.ofMinutes(91)));
        assertEquals("2 days", HumanDuration.of(Duration.ofHours(48)));
        assertEquals("2 weeks", HumanDuration.of(Duration.ofDays(14)));
        assertEquals("3 months", HumanDuration.of(Duration.ofDays(95)));
        assertEquals("2 years", HumanDuration.of(Duration.ofDays(800)));
    }

    @Test
    void filters() {
        assertEquals(List.of(exited), ids(false, Map.of("status", List.of("exited"))), "status implies all");
        assertEquals(List.of(created), ids(false, Map.of("status", List.of("created"))));
        assertEquals(List.of(exited), ids(true, Map.of("exited", List.of("3"))));
        assertEquals(List.of(), ids(true, Map.of("exited", List.of("0"))));
        assertEquals(List.of(running), ids(true, Map.of("label", List.of("tier=web"))));
        assertEquals(List.of(running, created), ids(true, Map.of("label", List.of("tier"))));
        assertEquals(List.of(exited), ids(true, Map.of("name", List.of("^exi"))));
        assertEquals(List.of(created), ids(true, Map.of("id", List.of(created.substring(0, 10)))));
        assertEquals(List.of(created), ids(true, Map.of("before", List.of("exited"))));
        assertEquals(List.of(running), ids(true, Map.of("since", List.of("exited"))));
        assertEquals(List.of(running, exited, created), ids(true, Map.of("ancestor", List.of("busybox"))));
        assertEquals(List.of(), ids(true, Map.of("ancestor", List.of("nosuch"))));
        assertEquals(List.of(running), ids(true, Map.of("network", List.of("none"))));
        assertEquals(List.of(), ids(true, Map.of("volume", List.of("/data"))));
    }

    @Test
    void filterErrors() {
        var unknown = expect(() -> engine.list(true, 0, false, Map.of("colour", List.of("red"))));
        assertEquals(Kind.INVALID_PARAMETER, unknown.kind());
        assertEquals("invalid filter 'colour'", unknown.getMessage());
        assertEquals("invalid filter 'status=sleeping': invalid value for state (sleeping): must be one of created, "
                + "running, paused, restarting, removing, exited, dead",
                expect(() -> engine.list(true, 0, false, Map.of("status", List.of("sleeping")))).getMessage());
        assertTrue(expect(() -> engine.list(true, 0, false, Map.of("exited", List.of("x")))).getMessage()
                .startsWith("invalid filter 'exited=x'"));
        assertEquals(Kind.NOT_FOUND, expect(() -> engine.list(true, 0, false, Map.of("before",
                List.of("nothing")))).kind());
    }

    @Test
    void pruneRemovesStoppedContainersMatchingTheFilters() {
        var bad = expect(() -> engine.prune(Map.of("status", List.of("exited"))));
        assertEquals("invalid filter 'status'", bad.getMessage());
        PruneReport none = engine.prune(Map.of("label", List.of("tier=nothing")));
        assertEquals(List.of(), none.containersDeleted());
        PruneReport report = engine.prune(Map.of("label!", List.of("tier=db")));
        assertEquals(List.of(exited), report.containersDeleted());
        PruneReport rest = engine.prune(Map.of());
        assertEquals(List.of(created), rest.containersDeleted());
        assertEquals(List.of(running), ids(true, Map.of()));
    }

    @Test
    void untilFilterOfPrune() {
        PruneReport r = engine.prune(Map.of("until", List.of("2000-01-01T00:00:00Z")));
        assertEquals(List.of(), r.containersDeleted());
        assertEquals("more than one until filter specified", expect(() -> engine.prune(Map.of("until",
                List.of("1h", "2h")))).getMessage());
    }

    @Test
    void createdContainersOfAnotherImageNameShowTheImageId() {
        String id = engine.create(null, request(config("true"), null)).id();
        f.images.store.tag("busybox", "other", "1");
        ContainerSummary s = engine.list(true, 0, false, Map.of("id", List.of(id))).get(0);
        assertEquals("busybox", s.image());
    }
}
