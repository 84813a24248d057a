package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.config;
import static keel.engine.core.internal.container.ContainerFixture.expect;
import static keel.engine.core.internal.container.ContainerFixture.host;
import static keel.engine.core.internal.container.ContainerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.CreateResult;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.container.WaitResult;
import keel.engine.api.errors.EngineException.Kind;
import keel.engine.api.image.DeleteItem;

/** The container state machine with Docker's transitions, errors and messages, on a fake runtime. */
class ContainerLifecycleTest {

    @TempDir
    Path dir;
    FakeRuntime runtime;
    ContainerFixture f;
    ContainerEngine engine;

    @BeforeEach
    void open() throws Exception {
        runtime = new FakeRuntime();
        f = new ContainerFixture(dir, runtime, new ContainerFixture.StubSpecs());
        engine = f.open();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void createdThenRunningThenExited() throws Exception {
        String id = f.create("first", "echo", "hi");
        ContainerDetails created = engine.inspect(id, false);
        assertEquals("created", created.state().status());
        assertEquals(ContainerRecord.ZERO_TIME, created.state().startedAt());
        assertEquals("/first", created.name());
        assertEquals("echo", created.path());
        assertEquals(List.of("hi"), created.args());
        assertTrue(Files.exists(dir.resolve("data/containers/" + id + "/config.v2.json")));
        assertTrue(Files.exists(dir.resolve("data/containers/" + id + "/hostconfig.json")));

        CompletableFuture<WaitResult> exit = engine.await(id, WaitCondition.NEXT_EXIT).toCompletableFuture();
        engine.start(id);
        assertEquals(0, exit.get(10, TimeUnit.SECONDS).statusCode());
        ContainerDetails exited = engine.inspect(id, false);
        assertEquals("exited", exited.state().status());
        assertFalse(exited.state().running());
        assertNotEquals(ContainerRecord.ZERO_TIME, exited.state().startedAt());
        assertNotEquals(ContainerRecord.ZERO_TIME, exited.state().finishedAt());
        assertEquals("hi\n", f.logs(id));
        assertTrue(exited.logPath().endsWith(id + "-json.log"), exited.logPath());
        assertTrue(runtime.deleted.contains(id), "the runtime forgot the run");
        assertFalse(Files.exists(f.settings.bundleDir(id)), "the bundle is gone");
    }

    @Test
    void theImageConfigCompletesTheRequest() throws Exception {
        ContainerConfig c = ContainerConfig.builder().image("busybox").env(List.of("FOO=1"))
                .labels(Map.of("team", "a")).build();
        CreateResult res = engine.create(null, request(c, host("networkMode", "host")));
        ContainerConfig merged = engine.inspect(res.id(), false).config();
        assertEquals(List.of("sh"), merged.cmd(), "Cmd from the image");
        assertEquals(List.of("FOO=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                merged.env());
        assertEquals("busybox", merged.image());
        assertEquals("the-host", merged.hostname());
        HostConfig hc = engine.inspect(res.id(), false).hostConfig();
        assertEquals("json-file", hc.logConfig().type());
        assertEquals("no", hc.restartPolicy().name());
        assertEquals("native", hc.runtime());

        // --entrypoint "" with no command: Docker's "no command specified"
        ContainerConfig none = ContainerConfig.builder().image("busybox").entrypoint(List.of("")).build();
        assertEquals("no command specified", expect(() -> engine.create(null, request(none, null))).getMessage());
    }

    @Test
    void createErrorsAreDockers() {
        var missing = expect(() -> engine.create(null, request(ContainerConfig.builder().image("nosuch")
                .cmd(List.of("true")).build(), null)));
        assertEquals(Kind.NOT_FOUND, missing.kind());
        assertEquals("No such image: nosuch:latest", missing.getMessage());
        var log = expect(() -> engine.create(null, request(config("true"), host("logConfig",
                new HostConfig.LogConfig("nope", Map.of())))));
        assertEquals("logger: no log driver named 'nope' is registered", log.getMessage());
        var opt = expect(() -> engine.create(null, request(config("true"), host("logConfig",
                new HostConfig.LogConfig("json-file", Map.of("max-sise", "1m"))))));
        assertEquals(Kind.INVALID_PARAMETER, opt.kind());
        assertTrue(opt.getMessage().contains("max-sise"), opt.getMessage());
        var network = expect(() -> engine.create(null, request(config("true"), host("networkMode", "mynet"))));
        assertEquals(Kind.NOT_FOUND, network.kind());
        assertEquals("network mynet not found", network.getMessage());
        assertEquals("Config cannot be empty in order to create a container",
                expect(() -> engine.create(null, request(null, null))).getMessage());
        assertEquals(0, engine.list(true, 0, false, Map.of()).size(), "nothing half-made is left");
    }

    @Test
    void theDefaultNetworkIsTheBridgeWithAnAddressFromItsPool() throws Exception {
        ContainerFixture.FakeSandboxes sandboxes = new ContainerFixture.FakeSandboxes();
        ContainerFixture.FakeNoneDriver bridge = new ContainerFixture.FakeNoneDriver(); // records joins and leaves
        f.sandboxes = sandboxes;
        f.networkDrivers.add(bridge, Map.of("driver.name", "bridge"));
        CreateResult res = engine.create(null, request(config("sleep"), null));
        assertEquals(List.of(), res.warnings());
        engine.start(res.id());
        ContainerDetails d = engine.inspect(res.id(), false);
        assertEquals("bridge", d.hostConfig().networkMode());
        assertEquals(List.of(res.id()), bridge.joined);
        assertEquals(f.settings.netnsPath(res.id()).toString(), d.networkSettings().sandboxKey());
        assertEquals("198.18.0.2", d.networkSettings().networks().get("bridge").ipAddress());
        assertEquals(24, d.networkSettings().networks().get("bridge").ipPrefixLen());
        engine.stop(res.id(), 5, null);
        assertEquals(List.of(f.settings.netnsPath(res.id())), sandboxes.deleted);
        assertEquals(List.of(res.id()), bridge.left);
        assertEquals("", engine.inspect(res.id(), false).networkSettings().networks().get("bridge").ipAddress(),
                "a stopped container keeps its networks without addresses, as Docker's");
    }

    @Test
    void withoutASandboxFactoryANoneContainerCannotStart() {
        String id = engine.create(null, request(config("sleep"), host("networkMode", "none"))).id();
        var e = expect(() -> {
            engine.start(id);
            return null;
        });
        assertEquals(Kind.UNAVAILABLE, e.kind());
        assertEquals(128, engine.inspect(id, false).state().exitCode());
    }

    @Test
    void aFailedStartRecordsDockersExitCodeAndUndoesEverything() {
        String id = f.create("bad", "nosuch");
        var e = expect(() -> {
            engine.start(id);
            return null;
        });
        assertEquals(Kind.INVALID_PARAMETER, e.kind());
        assertEquals("exec: \"nosuch\": executable file not found in $PATH", e.getMessage());
        ContainerDetails d = engine.inspect(id, false);
        assertEquals(127, d.state().exitCode());
        assertEquals("created", d.state().status(), "never started: Docker keeps it 'created'");
        assertEquals(e.getMessage(), d.state().error());
        assertTrue(runtime.deleted.contains(id));
        assertFalse(Files.exists(f.settings.bundleDir(id)));

        String perm = f.create(null, "noperm");
        assertEquals(Kind.INVALID_PARAMETER, expect(() -> {
            engine.start(perm);
            return null;
        }).kind());
        assertEquals(126, engine.inspect(perm, false).state().exitCode());

        String broken = f.create(null, "broken");
        assertEquals(Kind.SYSTEM, expect(() -> {
            engine.start(broken);
            return null;
        }).kind());
        assertEquals(128, engine.inspect(broken, false).state().exitCode());
    }

    @Test
    void startingARunningContainerIsNotModified() {
        String id = f.run(null, "sleep");
        assertEquals(Kind.NOT_MODIFIED, expect(() -> {
            engine.start(id);
            return null;
        }).kind());
    }

    @Test
    void stopSendsTheStopSignalThenKillsAfterTheTimeout() throws Exception {
        String polite = f.run(null, "sleep");
        FakeRuntime.FakeProcess first = runtime.live.get(polite);
        long t0 = System.nanoTime();
        engine.stop(polite, 10, null);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 2000);
        assertEquals(143, engine.inspect(polite, false).state().exitCode());
        assertEquals(List.of(15), first.signals);

        String stubborn = f.run(null, "trap");
        FakeRuntime.FakeProcess p = runtime.live.get(stubborn);
        t0 = System.nanoTime();
        engine.stop(stubborn, 1, null);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(took >= 1000 && took < 3000, "took " + took + " ms");
        assertEquals(List.of(15, 9), p.signals);
        assertEquals(137, engine.inspect(stubborn, false).state().exitCode());

        assertEquals(Kind.NOT_MODIFIED, expect(() -> {
            engine.stop(stubborn, null, null);
            return null;
        }).kind());
    }

    @Test
    void theStopSignalOfTheConfigIsUsed() throws Exception {
        String id = engine.create(null, request(ContainerConfig.builder().image("busybox").cmd(List.of("sleep"))
                .stopSignal("SIGHUP").build(), host("networkMode", "host"))).id();
        engine.start(id);
        FakeRuntime.FakeProcess p = runtime.live.get(id);
        engine.stop(id, 5, null);
        assertEquals(List.of(1), p.signals);
        assertEquals(129, engine.inspect(id, false).state().exitCode());
    }

    @Test
    void killAndItsErrors() throws Exception {
        String id = f.run("kk", "sleep");
        FakeRuntime.FakeProcess p = runtime.live.get(id);
        var bad = expect(() -> {
            engine.kill(id, "SIGFOO");
            return null;
        });
        assertEquals(Kind.INVALID_PARAMETER, bad.kind());
        assertEquals("Invalid signal: SIGFOO", bad.getMessage());
        engine.kill(id, "USR1");
        assertEquals(List.of(10), p.signals);
        assertTrue(engine.inspect(id, false).state().running());
        engine.kill(id, null);
        assertEquals(137, engine.inspect(id, false).state().exitCode());
        var stopped = expect(() -> {
            engine.kill("kk", null);
            return null;
        });
        assertEquals(Kind.CONFLICT, stopped.kind());
        assertEquals("Cannot kill container: kk: container " + id + " is not running", stopped.getMessage());
    }

    @Test
    void waitConditions() throws Exception {
        String id = f.create(null, "exit", "3");
        WaitResult now = engine.await(id, WaitCondition.NOT_RUNNING).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals(0, now.statusCode());
        assertNull(now.error());
        CompletableFuture<WaitResult> next = engine.await(id, WaitCondition.NEXT_EXIT).toCompletableFuture();
        CompletableFuture<WaitResult> removed = engine.await(id, WaitCondition.REMOVED).toCompletableFuture();
        assertFalse(next.isDone());
        engine.start(id);
        assertEquals(3, next.get(10, TimeUnit.SECONDS).statusCode());
        assertFalse(removed.isDone(), "an exit is not a removal");
        engine.remove(id, false, false);
        assertEquals(3, removed.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(Kind.NOT_FOUND, expect(() -> engine.await(id, WaitCondition.NOT_RUNNING)).kind());
    }

    @Test
    void removeRefusesARunningContainerUnlessForced() throws Exception {
        String id = f.run("busy", "sleep");
        var e = expect(() -> {
            engine.remove("busy", false, false);
            return null;
        });
        assertEquals(Kind.CONFLICT, e.kind());
        assertEquals("cannot remove container \"busy\": container is running: stop the container before removing "
                + "or force remove", e.getMessage());
        engine.pause(id);
        assertEquals("cannot remove container \"busy\": container is paused and must be unpaused first",
                expect(() -> {
                    engine.remove("busy", false, false);
                    return null;
                }).getMessage());
        engine.remove("busy", true, false);
        assertEquals("No such container: busy", expect(() -> engine.inspect("busy", false)).getMessage());
        assertFalse(Files.exists(dir.resolve("data/containers/" + id)));
        assertNull(f.images.store.containerLayer(id), "the read-write layer is gone");
    }

    @Test
    void autoRemoveRemovesTheContainerWhenItExits() throws Exception {
        String id = engine.create(null, request(config("echo", "bye"), host("networkMode", "host", "autoRemove",
                true))).id();
        CompletableFuture<WaitResult> removed = engine.await(id, WaitCondition.REMOVED).toCompletableFuture();
        engine.start(id);
        assertEquals(0, removed.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(Kind.NOT_FOUND, expect(() -> engine.inspect(id, false)).kind());
        assertFalse(Files.exists(dir.resolve("data/containers/" + id)));
    }

    @Test
    void restartStopsAndStartsAgainWithoutAutoRemove() throws Exception {
        String id = engine.create(null, request(config("sleep"), host("networkMode", "host", "autoRemove", true)))
                .id();
        engine.start(id);
        String firstStart = engine.inspect(id, false).state().startedAt();
        Thread.sleep(5);
        engine.restart(id, 5, null);
        ContainerDetails d = engine.inspect(id, false);
        assertTrue(d.state().running());
        assertNotEquals(firstStart, d.state().startedAt());
        CompletableFuture<WaitResult> removed = engine.await(id, WaitCondition.REMOVED).toCompletableFuture();
        engine.kill(id, null);
        assertEquals(137, removed.get(10, TimeUnit.SECONDS).statusCode(), "AutoRemove again after a kill");
    }

    @Test
    void pauseAndUnpause() throws Exception {
        String id = f.run(null, "sleep");
        engine.pause(id);
        assertEquals("paused", engine.inspect(id, false).state().status());
        assertTrue(runtime.live.get(id).paused);
        assertEquals("Container " + id + " is already paused", expect(() -> {
            engine.pause(id);
            return null;
        }).getMessage());
        assertEquals("cannot start a paused container, try unpause instead", expect(() -> {
            engine.start(id);
            return null;
        }).getMessage());
        engine.unpause(id);
        assertEquals("running", engine.inspect(id, false).state().status());
        assertEquals("Container " + id + " is not paused", expect(() -> {
            engine.unpause(id);
            return null;
        }).getMessage());
        engine.kill(id, null);
        assertEquals("container " + id + " is not running", expect(() -> {
            engine.pause(id);
            return null;
        }).getMessage());
    }

    @Test
    void oomKilledIsRecorded() throws Exception {
        String id = f.run(null, "oom");
        assertEquals(137, f.awaitExit(id));
        assertTrue(engine.inspect(id, false).state().oomKilled());
    }

    @Test
    void imagesInUseCannotBeRemoved() throws Exception {
        String id = f.create(null, "true");
        String image = engine.inspect(id, false).image();
        assertEquals(1, engine.containersUsing(image));
        var e = expect(() -> f.images.store.remove("busybox", false, false));
        assertEquals(Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("container " + id.substring(0, 12) + " is using its referenced image"),
                e.getMessage());
        engine.remove(id, false, false);
        List<DeleteItem> gone = f.images.store.remove("busybox", false, false);
        assertFalse(gone.isEmpty());
    }

    @Test
    void countsForInfo() throws Exception {
        String running = f.run(null, "sleep");
        String paused = f.run(null, "sleep");
        engine.pause(paused);
        f.create(null, "true");
        assertEquals(new ContainerCounts.Counts(3, 1, 1, 1), engine.counts());
        assertTrue(engine.warnings().stream().anyMatch(w -> w.contains("exit codes of containers")),
                engine.warnings().toString());
        engine.kill(running, null);
    }

    @Test
    void resizeReachesTheProcess() throws Exception {
        String id = f.run(null, "sleep");
        engine.resize(id, 40, 120);
        assertEquals(40, runtime.live.get(id).size[0]);
        assertEquals(120, runtime.live.get(id).size[1]);
        engine.kill(id, null);
        assertEquals(Kind.CONFLICT, expect(() -> {
            engine.resize(id, 1, 1);
            return null;
        }).kind());
    }

    @Test
    void onFailureRestartsUpToTheMaximumRetryCount() throws Exception {
        String id = engine.create(null, request(config("exit", "1"), host("networkMode", "host", "restartPolicy",
                new HostConfig.RestartPolicy("on-failure", 2)))).id();
        engine.start(id);
        ContainerFixture.await(() -> {
            ContainerDetails d = engine.inspect(id, false);
            return !d.state().running() && d.restartCount() == 2;
        });
        Thread.sleep(500);
        ContainerDetails d = engine.inspect(id, false);
        assertEquals(2, d.restartCount());
        assertEquals("exited", d.state().status());
        assertEquals(1, d.state().exitCode());
    }

    @Test
    void alwaysRestartsUntilTheUserStopsIt() throws Exception {
        String id = engine.create(null, request(config("exit", "0"), host("networkMode", "host", "restartPolicy",
                new HostConfig.RestartPolicy("always", 0)))).id();
        engine.start(id);
        ContainerFixture.await(() -> engine.inspect(id, false).restartCount() >= 3);
        engine.stop(id, 1, null);
        int count = engine.inspect(id, false).restartCount();
        Thread.sleep(1500);
        ContainerDetails d = engine.inspect(id, false);
        assertFalse(d.state().running());
        assertEquals(count, d.restartCount(), "no restart after a stop");
        // with the daemon it comes back, as Docker's "always" does
        ContainerEngine again = f.restart();
        ContainerFixture.await(() -> again.inspect(id, false).restartCount() > count);
        again.stop(id, 1, null);
    }

    @Test
    void unlessStoppedStaysStoppedAcrossADaemonRestart() throws Exception {
        String id = engine.create(null, request(config("sleep"), host("networkMode", "host", "restartPolicy",
                new HostConfig.RestartPolicy("unless-stopped", 0)))).id();
        engine.start(id);
        engine.stop(id, 1, null);
        ContainerEngine again = f.restart();
        Thread.sleep(500);
        assertFalse(again.inspect(id, false).state().running());
        String other = again.create(null, request(config("exit", "2"), host("networkMode", "host",
                "restartPolicy", new HostConfig.RestartPolicy("unless-stopped", 0)))).id();
        again.start(other);
        ContainerFixture.await(() -> again.inspect(other, false).restartCount() >= 1);
        again.kill(other, null);
        Thread.sleep(500);
        assertFalse(again.inspect(other, false).state().running(), "a kill is a manual stop too");
    }
}
