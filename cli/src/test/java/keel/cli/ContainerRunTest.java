package keel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.cli.internal.command.SignalSource;
import keel.cli.internal.command.TerminalSize;
import keel.cli.internal.json.JsonReader;

/**
 * {@code keel run} and {@code keel create} against a scripted daemon: the requests in docker's order with docker's
 * bodies (compared byte for byte with what docker 28.2.2 sent for the same command line), streaming, stdin and its
 * half-close, TTY raw mode and resizing, the detach keys, signal forwarding and the exit codes.
 */
class ContainerRunTest {

    static final String ID = FakeContainer.ID;

    @TempDir
    Path dir;
    FakeDaemon daemon;
    FakeContainer container;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(dir);
        container = new FakeContainer(daemon);
    }

    @AfterEach
    void stop() throws Exception {
        container.exit.complete(0);
        daemon.close();
    }

    private CliRun keel() {
        return CliRun.against(daemon);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ContainerRunTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> calls() {
        List<String> out = new ArrayList<>();
        for (FakeDaemon.Request r : daemon.apiRequests()) {
            out.add(r.method + " " + r.target.replaceFirst("^/v[0-9.]+", "").replace(ID, "ID"));
        }
        return out;
    }

    private FakeDaemon.Request request(String path) {
        for (FakeDaemon.Request r : daemon.apiRequests()) {
            if (r.path().equals(path.replace("ID", ID))) {
                return r;
            }
        }
        throw new AssertionError("no request to " + path + " in " + calls());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> createBody() throws IOException {
        return (Map<String, Object>) JsonReader.parse(request("/containers/create").body);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> hostConfig() throws IOException {
        return (Map<String, Object>) createBody().get("HostConfig");
    }

    // ----- the request sequence

    @Test
    void detachedRunCreatesWaitsStartsAndPrintsTheId() throws Exception {
        CliRun.Result r = keel().run("run", "-d", "busybox");
        assertEquals(0, r.code, r.toString());
        assertEquals(ID + "\n", r.out);
        assertEquals("", r.err);
        // docker registers the wait even when detached, always before the start
        assertEquals(List.of("POST /containers/create", "POST /containers/ID/wait?condition=next-exit",
                "POST /containers/ID/start"), calls());
        FakeDaemon.Request create = request("/containers/create");
        assertEquals("application/json", create.header("Content-Type"));
        assertEquals(resource("docker-run-default-body.json"), create.bodyText(), "docker 28.2.2's body for run -d");
    }

    @Test
    void createSendsDockersBodyForEveryFlag() throws Exception {
        Path envFile = Files.writeString(dir.resolve("env"), "# comment\n  X=2\nFOO\nUNSET_HERE\n\n");
        Path labelFile = Files.writeString(dir.resolve("labels"), "team=core\n");
        CliRun run = keel();
        run.env.put("FOO", "fromenv");
        CliRun.Result r = run.run("create", "--name", "web", "-e", "A=1", "-e", "FOO", "-e", "MISSING", "--env-file",
                envFile.toString(), "-w", "/srv", "-u", "1000:1000", "--entrypoint", "/bin/sh", "-m", "64m",
                "--memory-swap", "1g", "--memory-reservation", "32m", "--cpus", "1.5", "--cpu-shares", "512",
                "--cpuset-cpus", "0-1", "--pids-limit", "100", "--ulimit", "nproc=10", "--ulimit", "nofile=1024:2048",
                "--cap-add", "net_admin", "--cap-drop", "ALL", "--privileged", "-v", "/host:/ctr:ro", "-v", "/anon",
                "-v", "named:/data", "--mount", "type=bind,source=/src,target=/dst,readonly,bind-propagation=rshared",
                "--mount", "type=tmpfs,target=/tt,tmpfs-size=1m,tmpfs-mode=1777", "--tmpfs", "/run:rw,size=64m",
                "--read-only", "--init", "--network", "mynet", "--log-driver", "json-file", "--log-opt",
                "max-size=10m", "--log-opt", "max-file=3", "--label", "a=b", "-l", "c", "--label-file",
                labelFile.toString(), "-h", "myhost", "--domainname", "example.com", "--stop-signal", "SIGUSR1",
                "--stop-timeout", "5", "--restart", "on-failure:3", "--group-add", "audio", "--security-opt",
                "no-new-privileges", "--shm-size", "128m", "-p", "8080:80", "-p", "127.0.0.1:9000-9001:90-91/udp",
                "-P", "--expose", "7000", "--dns", "1.1.1.1", "--dns-search", "example.com", "--add-host",
                "db:10.0.0.2", "--ip", "172.30.0.5", "--network-alias", "foo", "--health-cmd",
                "curl -f http://localhost/", "--health-interval", "30s", "--health-retries", "3", "--device",
                "/dev/fuse", "--sysctl", "net.ipv4.ip_forward=1", "--oom-score-adj", "100", "-it", "busybox", "sh",
                "-c", "echo hi");
        assertEquals(0, r.code, r.toString());
        assertEquals(ID + "\n", r.out);
        assertEquals(List.of("POST /containers/create?name=web"), calls());
        assertEquals(resource("docker-create-body.json"), request("/containers/create").bodyText(),
                "docker 28.2.2's body for the same command line");
    }

    @Test
    void createSendsDockersBodyForPortsAndNetworks() throws Exception {
        CliRun.Result r = keel().run("create", "-p", "[::1]:8080:80", "-p", "0.0.0.0::80/udp", "-p",
                "127.0.0.1:5000-5001:5000-5001", "-P", "--add-host", "gw=host-gateway", "--add-host", "v6:[::1]",
                "--dns", "2001:4860:4860::8888", "--network",
                "name=mynet,alias=a1,ip=10.1.0.9,driver-opt=k=v,gw-priority=2", "--network", "other", "busybox");
        assertEquals(0, r.code, r.toString());
        assertEquals(resource("docker-create-network-body.json"), request("/containers/create").bodyText(),
                "docker 28.2.2's body for the same command line: PortBindings, ExposedPorts, PublishAllPorts, "
                        + "ExtraHosts, Dns and one EndpointsConfig entry per --network");
    }

    @Test
    void attachedRunAttachesAndWaitsBeforeStartingThenDemultiplexes() throws Exception {
        container.output = FakeContainer.concat(FakeContainer.frame(1, "hello\n"), FakeContainer.frame(2, "oops\n"),
                FakeContainer.frame(1, "bye\n"));
        container.exit.complete(3);
        CliRun.Result r = keel().run("run", "busybox", "sh", "-c", "echo");
        assertEquals(3, r.code, r.toString());
        assertEquals("hello\nbye\n", r.out);
        assertEquals("oops\n", r.err);
        assertEquals(List.of("POST /containers/create", "POST /containers/ID/attach?stderr=1&stdout=1&stream=1",
                "POST /containers/ID/wait?condition=next-exit", "POST /containers/ID/start"), calls());
        FakeDaemon.Request attach = request("/containers/ID/attach");
        assertEquals("Upgrade", attach.header("Connection"));
        assertEquals("tcp", attach.header("Upgrade"));
        assertEquals("text/plain", attach.header("Content-Type"));
        Map<String, Object> body = createBody();
        assertEquals(false, body.get("AttachStdin"));
        assertEquals(true, body.get("AttachStdout"));
        assertEquals(List.of("sh", "-c", "echo"), body.get("Cmd"));
        assertTrue(container.stdinEof.get(5, TimeUnit.SECONDS), "stdin not attached: half-closed at once");
    }

    @Test
    void interactiveRunCopiesStdinAndHalfClosesAtEofWhileOutputKeepsComing() throws Exception {
        container.echo = true;
        CliRun.Result r = keel().stdin("data\nmore").run("run", "-i", "busybox", "cat");
        assertEquals(0, r.code, r.toString());
        assertEquals("data\nmore", container.stdinText());
        assertTrue(container.stdinEof.get(5, TimeUnit.SECONDS), "the container read EOF on its stdin");
        // The echo was written after the client's EOF: output flows after the half-close.
        assertEquals("data\nmore", r.out);
        assertEquals(List.of("POST /containers/create", "POST /containers/ID/attach?stderr=1&stdin=1&stdout=1&stream=1",
                "POST /containers/ID/wait?condition=next-exit", "POST /containers/ID/start"), calls());
        Map<String, Object> body = createBody();
        assertEquals(true, body.get("AttachStdin"));
        assertEquals(true, body.get("OpenStdin"));
        assertEquals(true, body.get("StdinOnce"));
    }

    @Test
    void rmWaitsForRemovalAndAttachFlagPicksStreams() throws Exception {
        container.output = FakeContainer.concat(FakeContainer.frame(1, "out\n"), FakeContainer.frame(2, "err\n"));
        container.exit.complete(0);
        CliRun.Result r = keel().run("run", "--rm", "-a", "stderr", "busybox");
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.out, "stdout not attached: its frames are dropped");
        assertEquals("err\n", r.err);
        assertEquals(List.of("POST /containers/create", "POST /containers/ID/attach?stderr=1&stream=1",
                "POST /containers/ID/wait?condition=removed", "POST /containers/ID/start"), calls());
        assertEquals(true, hostConfig().get("AutoRemove"));
    }

    @Test
    void ttyRunIsRawSizedAndNotDemultiplexed() throws Exception {
        byte[] raw = "\u0001\u0000\u0000\u0000no framing\r\n".getBytes(StandardCharsets.UTF_8);
        container.tty = true;
        container.output = raw;
        container.exit.complete(0);
        CliRun run = keel().tty(true, true, true);
        run.size = new TerminalSize(40, 120);
        CliRun.Result r = run.run("run", "-it", "busybox", "sh");
        assertEquals(0, r.code, r.toString());
        assertArrayEquals(raw, r.outBytes, "TTY output is copied as is");
        assertEquals(List.of("raw", "restore"), run.terminalCalls);
        Map<String, Object> body = createBody();
        assertEquals(true, body.get("Tty"));
        assertEquals(List.of(40L, 120L), hostConfig().get("ConsoleSize"));
        List<String> calls = calls();
        assertEquals("POST /containers/ID/start", calls.get(3));
        assertTrue(calls.contains("POST /containers/ID/resize?h=40&w=120"), calls.toString());
        assertTrue(calls.indexOf("POST /containers/ID/resize?h=40&w=120") > 3, "resized after the start");
    }

    @Test
    void detachKeysEndKeelButNotTheContainer() throws Exception {
        container.tty = true;
        CliRun run = keel().tty(true, true, true).stdin("ls\r\u0010x\u0010\u0011never sent");
        CliRun.Result r = run.run("run", "-it", "busybox", "sh");
        assertEquals(0, r.code, r.toString());
        assertTrue(container.attachClosed.get(5, TimeUnit.SECONDS));
        // ctrl-p followed by x is no detach: both go through; ctrl-p ctrl-q is kept back and ends the session.
        assertEquals("ls\r\u0010x", container.stdinText());
        assertFalse(container.exit.isDone(), "the container keeps running");
        assertTrue(container.kills().isEmpty());
        assertEquals(List.of("raw", "restore"), run.terminalCalls);
    }

    @Test
    void customDetachKeysGoToTheDaemonToo() throws Exception {
        container.tty = true;
        CliRun.Result r = keel().tty(true, true, true).stdin("a\u0001b").run("run", "-it", "--detach-keys", "ctrl-a,b",
                "busybox");
        assertEquals(0, r.code, r.toString());
        assertTrue(calls().contains(
                "POST /containers/ID/attach?detachKeys=ctrl-a%2Cb&stderr=1&stdin=1&stdout=1&stream=1"), calls().toString());
        container.attachClosed.get(5, TimeUnit.SECONDS);
        assertEquals("a", container.stdinText());
    }

    @Test
    void ttyNeedsATerminalForInput() {
        CliRun.Result r = keel().run("run", "-it", "busybox");
        assertEquals(1, r.code);
        assertEquals("the input device is not a TTY\n", r.err);
        assertTrue(daemon.apiRequests().isEmpty());
    }

    /** A SignalSource the test fires by hand. */
    static final class ManualSignals implements SignalSource {
        final List<Consumer<String>> handlers = new CopyOnWriteArrayList<>();
        final List<String> subscribed = new CopyOnWriteArrayList<>();

        @Override
        public Subscription subscribe(Collection<String> names, Consumer<String> handler) {
            handlers.add(handler);
            subscribed.addAll(names);
            return () -> handlers.remove(handler);
        }

        void fire(String name) {
            for (Consumer<String> h : handlers) {
                h.accept(name);
            }
        }
    }

    @Test
    void signalsReachTheContainerAsKillRequests() throws Exception {
        ManualSignals signals = new ManualSignals();
        CliRun run = keel();
        run.signals = signals;
        CompletableFuture<CliRun.Result> result = CompletableFuture.supplyAsync(() -> run.run("run", "busybox"));
        container.started.await(5, TimeUnit.SECONDS);
        assertTrue(signals.subscribed.containsAll(List.of("INT", "TERM", "HUP", "USR1", "WINCH")));
        assertFalse(signals.subscribed.contains("CHLD") || signals.subscribed.contains("PIPE")
                || signals.subscribed.contains("URG"), "docker never forwards these");
        signals.fire("INT");
        signals.fire("TERM");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (container.kills().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("signal=INT", "signal=TERM"), container.kills());
        container.exit.complete(143);
        CliRun.Result r = result.get(10, TimeUnit.SECONDS);
        assertEquals(143, r.code, r.toString());
        assertTrue(signals.handlers.isEmpty(), "signals are given back when keel is done");
    }

    @Test
    void sigProxyFalseForwardsNothing() throws Exception {
        ManualSignals signals = new ManualSignals();
        CliRun run = keel();
        run.signals = signals;
        container.exit.complete(0);
        assertEquals(0, run.run("run", "--sig-proxy=false", "busybox").code);
        assertTrue(signals.subscribed.isEmpty());
    }

    // ----- exit codes

    @Test
    void startErrorsExit127126Or125LikeDocker() {
        String[][] cases = {
            {"failed to create task for container: exec: \"foo\": executable file not found in $PATH: unknown", "127"},
            {"exec /x: permission denied", "126"},
            {"cannot start a paused container", "125"}};
        for (String[] c : cases) {
            daemon.on("POST /containers/" + ID + "/start", FakeDaemon.Response.json(400,
                    "{\"message\":" + keel.cli.internal.json.JsonWriter.write(c[0], false) + "}"));
            CliRun.Result r = keel().run("run", "busybox", "foo");
            assertEquals(Integer.parseInt(c[1]), r.code, r.toString());
            assertEquals("keel: Error response from daemon: " + c[0] + "\n\nRun 'keel run --help' for more "
                    + "information\n", r.err);
        }
    }

    @Test
    void aFailedStartPutsTheTerminalBackBeforeTheError() {
        container.tty = true;
        daemon.on("POST /containers/" + ID + "/start", FakeDaemon.Response.json(500,
                "{\"message\":\"OCI runtime create failed\"}"));
        CliRun run = keel().tty(true, true, true);
        CliRun.Result r = run.run("run", "-it", "busybox");
        assertEquals(125, r.code);
        assertEquals(List.of("raw", "restore"), run.terminalCalls);
        assertEquals("keel: Error response from daemon: OCI runtime create failed\n\nRun 'keel run --help' for more "
                + "information\n", r.err);
    }

    @Test
    void cidfileGetsTheIdAndRefusesAnOldOne() throws Exception {
        Path cid = dir.resolve("cid");
        assertEquals(0, keel().run("create", "--cidfile", cid.toString(), "busybox").code);
        assertEquals(ID, Files.readString(cid));
        CliRun.Result again = keel().run("create", "--cidfile", cid.toString(), "busybox");
        assertEquals(1, again.code);
        assertEquals("container ID file found, make sure the other container isn't running or delete " + cid + "\n",
                again.err);
    }

    @Test
    void exitCodeOfTheContainerIsKeels() {
        container.exit.complete(137);
        assertEquals(137, keel().run("run", "busybox").code);
    }

    @Test
    void missingImageIsPulledThroughTheDaemonAndItsErrorShown() {
        daemon.on("POST /containers/create", FakeDaemon.Response.json(404,
                "{\"message\":\"No such image: nosuch:latest\"}"));
        daemon.on("POST /images/create", FakeDaemon.Response.json(501,
                "{\"message\":\"pulling images is not supported by keel yet\"}"));
        CliRun.Result r = keel().run("run", "nosuch");
        assertEquals(125, r.code);
        assertEquals("Unable to find image 'nosuch:latest' locally\nkeel: Error response from daemon: pulling images "
                + "is not supported by keel yet\n\nRun 'keel run --help' for more information\n", r.err);
        assertEquals(List.of("POST /containers/create", "POST /images/create?fromImage=docker.io%2Flibrary%2Fnosuch"
                + "&tag=latest"), calls());
        assertEquals("e30=", request("/images/create").header("X-Registry-Auth"));

        CliRun.Result create = keel().run("create", "-q", "nosuch");
        assertEquals(1, create.code, "create reports daemon errors with exit 1");
        assertEquals("Error response from daemon: pulling images is not supported by keel yet\n", create.err);
    }

    @Test
    void aPulledImageIsCreatedOnTheSecondTry() {
        boolean[] pulled = {false};
        daemon.on("POST /containers/create", req -> pulled[0]
                ? FakeDaemon.Response.json(201, "{\"Id\":\"" + ID + "\",\"Warnings\":[\"low on memory\"]}")
                : FakeDaemon.Response.json(404, "{\"message\":\"No such image: busybox:1.36\"}"));
        daemon.on("POST /images/create", req -> {
            pulled[0] = true;
            return FakeDaemon.Response.stream("{\"status\":\"Pulling from library/busybox\",\"id\":\"1.36\"}",
                    "{\"status\":\"Status: Downloaded newer image for busybox:1.36\"}");
        });
        CliRun.Result r = keel().run("create", "busybox:1.36");
        assertEquals(0, r.code, r.toString());
        assertEquals(ID + "\n", r.out);
        assertEquals("Unable to find image 'busybox:1.36' locally\n1.36: Pulling from library/busybox\n"
                + "Status: Downloaded newer image for busybox:1.36\nWARNING: low on memory\n", r.err);
    }

    // ----- flags

    @Test
    void badFlagValuesFailAsDockersDo() {
        String usage = "\n\nUsage:  keel run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'keel run --help' for more "
                + "information\n";
        assertEquals("invalid argument \"64q\" for \"-m, --memory\" flag: invalid suffix: 'q'" + usage,
                keel().run("run", "-m", "64q", "busybox").err);
        assertEquals("invalid argument \"x\" for \"--cpus\" flag: failed to parse x as a rational number" + usage,
                keel().run("run", "--cpus", "x", "busybox").err);
        assertEquals("invalid argument \"nofile=2:1\" for \"--ulimit\" flag: ulimit soft limit must be less than or "
                + "equal to hard limit: 2 > 1" + usage, keel().run("run", "--ulimit", "nofile=2:1", "busybox").err);
        assertEquals("invalid argument \"type=bind\" for \"--mount\" flag: target is required" + usage,
                keel().run("run", "--mount", "type=bind", "busybox").err);
        assertEquals("invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x" + usage,
                keel().run("run", "-e", "=x", "busybox").err);
        CliRun.Result restart = keel().run("run", "--restart", "on-failure:x", "busybox");
        assertEquals(125, restart.code);
        assertEquals("keel: invalid restart policy format: maximum retry count must be an integer\n\nRun 'keel run "
                + "--help' for more information\n", restart.err);
        assertEquals("keel: conflicting options: cannot specify both --restart and --rm\n\nRun 'keel run --help' for "
                + "more information\n", keel().run("run", "--rm", "--restart", "always", "busybox").err);
        assertEquals("conflicting options: cannot specify both --attach and --detach\n",
                keel().run("run", "-d", "-a", "stdout", "busybox").err);
        assertTrue(daemon.apiRequests().isEmpty());
    }

    @Test
    void dashHIsTheHostnameAndHelpIsLongOnly() throws Exception {
        container.exit.complete(0);
        assertEquals(0, keel().run("run", "-d", "-h", "box", "busybox").code);
        assertEquals("box", createBody().get("Hostname"));
        CliRun.Result help = keel().run("run", "--help");
        assertTrue(help.out.contains("  -h, --hostname string"), help.out);
        assertTrue(help.out.contains("      --help "), help.out);
        assertTrue(keel().run("ps", "-h").out.startsWith("Usage:  keel ps [OPTIONS]"));
    }

    @Test
    void flagsAfterTheImageBelongToTheCommand() throws Exception {
        assertEquals(0, keel().run("run", "-d", "busybox", "ls", "-la", "--rm").code);
        assertEquals(List.of("ls", "-la", "--rm"), createBody().get("Cmd"));
        assertEquals(false, hostConfig().get("AutoRemove"));
    }
}
