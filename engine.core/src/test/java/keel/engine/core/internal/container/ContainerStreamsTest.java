package keel.engine.core.internal.container;

import static keel.engine.core.internal.container.ContainerFixture.await;
import static keel.engine.core.internal.container.ContainerFixture.exec;
import static keel.engine.core.internal.container.ContainerFixture.expect;
import static keel.engine.core.internal.container.ContainerFixture.host;
import static keel.engine.core.internal.container.ContainerFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.AttachOptions;
import keel.engine.api.container.Attachment;
import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.ExecDetails;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.LogOptions;
import keel.engine.api.errors.EngineException.Kind;
import keel.engine.core.internal.container.ContainerFixture.CollectingSink;
import keel.engine.core.internal.container.attach.DetachKeys;
import keel.engine.core.internal.container.attach.EscapeFilter;

/** attach, logs and exec on a fake runtime: what clients receive, and when their streams end. */
class ContainerStreamsTest {

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

    private static AttachOptions attachOut() {
        return new AttachOptions(false, true, true, false, true, null);
    }

    @Test
    void attachBeforeStartSeesAllOutputThenTheEnd() throws Exception {
        String id = f.create(null, "echo", "hi");
        CollectingSink sink = new CollectingSink();
        engine.attach(id, attachOut(), sink);
        engine.start(id);
        await(() -> sink.ended);
        assertEquals("hi\n", sink.text());
        assertEquals(List.of(1), sink.streams);
    }

    @Test
    void stderrGoesToStreamTwoAndOnlyWhenAsked() throws Exception {
        String id = f.create(null, "err", "bad");
        CollectingSink both = new CollectingSink();
        CollectingSink outOnly = new CollectingSink();
        engine.attach(id, attachOut(), both);
        engine.attach(id, new AttachOptions(false, true, false, false, true, null), outOnly);
        engine.start(id);
        await(() -> both.ended && outOnly.ended);
        assertEquals("bad\n", both.text());
        assertEquals(List.of(2), both.streams);
        assertEquals("", outOnly.text());
    }

    @Test
    void stdinOnceCopiesInputAndItsEndClosesTheProcessStdin() throws Exception {
        ContainerConfig c = ContainerConfig.builder().image("busybox").cmd(List.of("cat")).openStdin(true)
                .stdinOnce(true).attachStdin(true).build();
        String id = engine.create(null, request(c, host("networkMode", "host"))).id();
        CollectingSink sink = new CollectingSink();
        Attachment a = engine.attach(id, new AttachOptions(true, true, true, false, true, null), sink);
        OutputStream in = a.stdin();
        // input may come before the start, as with docker run -i
        CompletableFuture<Void> typing = CompletableFuture.runAsync(() -> {
            try {
                in.write("hello\n".getBytes(StandardCharsets.UTF_8));
                in.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(50);
        engine.start(id);
        typing.get(10, TimeUnit.SECONDS);
        assertEquals(0, f.awaitExit(id));
        await(() -> sink.ended);
        assertEquals("hello\n", sink.text());
    }

    @Test
    void withoutOpenStdinThereIsNoInput() throws Exception {
        String id = f.create(null, "sleep");
        Attachment a = engine.attach(id, new AttachOptions(true, true, true, false, true, null),
                new CollectingSink());
        assertNull(a.stdin());
    }

    @Test
    void detachKeysOnATerminalDetachTheClientOnly() throws Exception {
        ContainerConfig c = ContainerConfig.builder().image("busybox").cmd(List.of("cat")).openStdin(true)
                .tty(true).build();
        String id = engine.create(null, request(c, host("networkMode", "host"))).id();
        engine.start(id);
        CollectingSink sink = new CollectingSink();
        Attachment a = engine.attach(id, new AttachOptions(true, true, true, false, true, "ctrl-x,x"), sink);
        a.stdin().write("ab\u0018c".getBytes(StandardCharsets.UTF_8)); // ctrl-x then c: not the sequence
        await(() -> sink.text().equals("ab\u0018c"));
        a.stdin().write("\u0018x".getBytes(StandardCharsets.UTF_8));
        await(() -> sink.ended);
        assertEquals("ab\u0018c", sink.text());
        assertEquals(List.of(0), sink.streams.stream().distinct().toList(), "a terminal has one stream");
        assertTrue(engine.inspect(id, false).state().running(), "detaching does not stop the container");
        assertEquals("Invalid detach keys (ctrl-foo) provided", expect(() -> engine.attach(id,
                new AttachOptions(true, true, true, false, true, "ctrl-foo"), new CollectingSink())).getMessage());
        engine.kill(id, null);
    }

    @Test
    void escapeFilterHoldsAPartialSequence() {
        EscapeFilter e = new EscapeFilter(DetachKeys.DEFAULT);
        assertEquals("a", new String(e.filter(new byte[] {'a', 16}, 0, 2), StandardCharsets.UTF_8));
        assertEquals("\u0010b", new String(e.filter(new byte[] {'b'}, 0, 1), StandardCharsets.UTF_8));
        assertFalse(e.detached());
        assertEquals(0, e.filter(new byte[] {16, 17, 'z'}, 0, 3).length);
        assertTrue(e.detached());
        assertEquals(List.of((byte) 1, (byte) 'q', (byte) 127), List.of(DetachKeys.parse("ctrl-a,q,DEL")[0],
                DetachKeys.parse("ctrl-a,q,DEL")[1], DetachKeys.parse("ctrl-a,q,DEL")[2]));
    }

    @Test
    void attachWithLogsReplaysFirst() throws Exception {
        String id = f.run(null, "echo", "first run");
        f.awaitExit(id);
        CollectingSink sink = new CollectingSink();
        engine.attach(id, new AttachOptions(false, true, true, true, false, null), sink);
        assertTrue(sink.ended);
        assertEquals("first run\n", sink.text());
    }

    @Test
    void logsWithTailTimestampsAndStreams() throws Exception {
        String id = f.run(null, "echo", "out");
        f.awaitExit(id);
        engine.start(id);
        f.awaitExit(id);
        CollectingSink all = new CollectingSink();
        engine.logs(id, new LogOptions(true, true, false, false, -1, 0, 0), all);
        assertEquals("out\nout\n", all.text());
        assertTrue(all.ended);
        CollectingSink tail = new CollectingSink();
        engine.logs(id, new LogOptions(true, true, false, true, 1, 0, 0), tail);
        assertTrue(tail.text().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z out\n"), tail.text());
        CollectingSink errOnly = new CollectingSink();
        engine.logs(id, new LogOptions(false, true, false, false, -1, 0, 0), errOnly);
        assertEquals("", errOnly.text());
        assertEquals("You must choose at least one stream", expect(() -> {
            engine.logs(id, new LogOptions(false, false, false, false, -1, 0, 0), new CollectingSink());
            return null;
        }).getMessage());
    }

    @Test
    void followEndsWhenTheContainerStops() throws Exception {
        String id = f.run(null, "sleep");
        CollectingSink sink = new CollectingSink();
        CompletableFuture<Void> follow = CompletableFuture.runAsync(() -> engine.logs(id,
                new LogOptions(true, true, true, false, -1, 0, 0), sink));
        Thread.sleep(200);
        assertFalse(follow.isDone());
        FakeRuntime.FakeProcess.append(runtime.live.get(id).stdio.stdout(), "live line\n");
        await(() -> sink.text().equals("live line\n"));
        engine.stop(id, 1, null);
        follow.get(10, TimeUnit.SECONDS);
        assertTrue(sink.ended);
    }

    @Test
    void theNoneDriverCannotBeRead() throws Exception {
        String id = engine.create(null, request(ContainerFixture.config("echo", "x"), host("networkMode", "host",
                "logConfig", new HostConfig.LogConfig("none", Map.of())))).id();
        CollectingSink attached = new CollectingSink();
        engine.attach(id, attachOut(), attached);
        engine.start(id);
        await(() -> attached.ended);
        assertEquals("x\n", attached.text(), "attached clients still see the output");
        var e = expect(() -> {
            engine.logs(id, new LogOptions(true, true, false, false, -1, 0, 0), new CollectingSink());
            return null;
        });
        assertEquals(Kind.NOT_IMPLEMENTED, e.kind());
        assertEquals("configured logging driver does not support reading", e.getMessage());
    }

    @Test
    void execRunsInTheContainerAndRecordsItsExitCode() throws Exception {
        String id = f.run(null, "sleep");
        String execId = engine.execCreate(id, exec("echo", "from", "exec"));
        ExecDetails before = engine.execInspect(execId);
        assertFalse(before.running());
        assertNull(before.exitCode());
        assertEquals("echo", before.processConfig().entrypoint());
        CollectingSink sink = new CollectingSink();
        engine.execStart(execId, false, false, sink);
        await(() -> sink.ended);
        assertEquals("from exec\n", sink.text());
        ExecDetails after = engine.execInspect(execId);
        assertEquals(0, after.exitCode(), "known when the stream ends");
        assertFalse(after.running());
        assertEquals(id, after.containerID());
        assertEquals("exec command " + execId + " has already run", expect(() -> engine.execStart(execId, false,
                false, new CollectingSink())).getMessage());

        String failing = engine.execCreate(id, exec("exit", "7"));
        CollectingSink s2 = new CollectingSink();
        engine.execStart(failing, false, false, s2);
        await(() -> s2.ended);
        assertEquals(7, engine.execInspect(failing).exitCode());

        String missing = engine.execCreate(id, exec("nosuch"));
        var e = expect(() -> engine.execStart(missing, false, false, new CollectingSink()));
        assertEquals(Kind.INVALID_PARAMETER, e.kind());
        assertEquals(127, engine.execInspect(missing).exitCode());

        ExecConfig env = new ExecConfig(false, true, true, null, false, List.of("EXTRA=1"), List.of("env"), false,
                null, null, null);
        CollectingSink s3 = new CollectingSink();
        engine.execStart(engine.execCreate(id, env), false, false, s3);
        await(() -> s3.ended);
        assertTrue(s3.text().contains("EXTRA=1"), s3.text());

        assertEquals("unable to find user ghost: no matching entries in passwd file", expect(() -> engine.execCreate(
                id, new ExecConfig(false, true, true, null, false, null, List.of("true"), false, "ghost", null,
                        null))).getMessage());
        assertEquals("No exec command specified", expect(() -> engine.execCreate(id, exec())).getMessage());
        engine.kill(id, null);
        assertEquals("No such exec instance: " + execId, expect(() -> engine.execInspect(execId)).getMessage(),
                "a stopped container's execs are forgotten");
        assertEquals("container " + id + " is not running", expect(() -> engine.execCreate(id, exec("true")))
                .getMessage());
    }

    @Test
    void aClientThatStopsReadingIsDetachedWithoutHoldingUpOthers() throws Exception {
        String id = f.run(null, "sleep");
        CollectingSink gone = new CollectingSink();
        gone.refuse = true;
        CollectingSink fine = new CollectingSink();
        engine.attach(id, attachOut(), gone);
        engine.attach(id, attachOut(), fine);
        FakeRuntime.FakeProcess.append(runtime.live.get(id).stdio.stdout(), "one\n");
        await(() -> gone.ended && fine.text().equals("one\n"));
        FakeRuntime.FakeProcess.append(runtime.live.get(id).stdio.stdout(), "two\n");
        await(() -> fine.text().equals("one\ntwo\n"));
        engine.kill(id, null);
        await(() -> fine.ended);
    }
}
