package keel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ps, logs, stop/restart, kill, rm, wait, top, rename, pause, exec, attach, start and inspect: requests and output
 * as docker 28.2.2 has them (the ps tables were printed by docker itself from the same JSON).
 */
class ContainerCommandsTest {

    static final long NOW = CliRun.NOW.getEpochSecond();
    static final String ID = FakeContainer.ID;

    static final String CONTAINERS = "[{\"Id\":\"9f3c2a1b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8\","
            + "\"Names\":[\"/web\"],\"Image\":\"nginx:1.25\",\"ImageID\":\"sha256:aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44"
            + "ee55ff66aa11bb22cc33dd44\",\"Command\":\"/docker-entrypoint.sh nginx -g 'daemon off;'\",\"Created\":"
            + (NOW - 120) + ",\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},"
            + "{\"IP\":\"::\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},{\"PrivatePort\":443,\"Type\":"
            + "\"tcp\"},{\"PrivatePort\":444,\"Type\":\"tcp\"}],\"Labels\":{\"b\":\"2\",\"a\":\"1\"},\"State\":\"running\","
            + "\"Status\":\"Up 2 minutes\",\"SizeRw\":12,\"SizeRootFs\":187000000,\"NetworkSettings\":{\"Networks\":"
            + "{\"bridge\":{}}},\"Mounts\":[{\"Type\":\"volume\",\"Name\":\"0123456789abcdef0123456789\",\"Source\":"
            + "\"/var/lib/x\",\"Driver\":\"local\"}]},"
            + "{\"Id\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"Names\":[\"/db\","
            + "\"/web/db\"],\"Image\":\"sha256:bb11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44\","
            + "\"ImageID\":\"sha256:bb11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44\",\"Command\":"
            + "\"sleep 100\",\"Created\":" + (NOW - 3 * 86400) + ",\"Ports\":[],\"Labels\":null,\"State\":\"exited\","
            + "\"Status\":\"Exited (137) 2 days ago\",\"NetworkSettings\":{\"Networks\":{}},\"Mounts\":[]},"
            + "{\"Id\":\"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\",\"Names\":[\"/tabby_cat\"],"
            + "\"Image\":\"busybox@sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79\","
            + "\"ImageID\":\"sha256:cc11\",\"Command\":\"sh -c 'echo \\\"h\u00e9llo w\u00f6rld\\\" ; sleep 5'\","
            + "\"Created\":" + (NOW - 30) + ",\"Ports\":[{\"PrivatePort\":53,\"Type\":\"udp\"},{\"IP\":\"127.0.0.1\","
            + "\"PrivatePort\":9000,\"PublicPort\":9000,\"Type\":\"tcp\"},{\"IP\":\"127.0.0.1\",\"PrivatePort\":9001,"
            + "\"PublicPort\":9001,\"Type\":\"tcp\"}],\"Labels\":{},\"State\":\"created\",\"Status\":\"Created\","
            + "\"Mounts\":[]}]";

    @TempDir
    Path dir;
    FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(dir);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private CliRun keel() {
        return CliRun.against(daemon);
    }

    private List<String> calls() {
        List<String> out = new ArrayList<>();
        for (FakeDaemon.Request r : daemon.apiRequests()) {
            out.add(r.method + " " + r.target.replaceFirst("^/v[0-9.]+", "").replace(ID, "ID"));
        }
        return out;
    }

    // ----- ps

    @Test
    void psTableIsDockers() {
        daemon.onJson("GET /containers/json", CONTAINERS);
        CliRun.Result r = keel().run("ps");
        assertEquals(0, r.code, r.toString());
        assertEquals("CONTAINER ID   IMAGE          COMMAND                   CREATED          STATUS                    "
                + "PORTS                                                  NAMES\n"
                + "9f3c2a1b4d5e   nginx:1.25     \"/docker-entrypoint.\u2026\"    2 minutes ago    Up 2 minutes        "
                + "      443-444/tcp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp   web\n"
                + "0123456789ab   bb11bb22cc33   \"sleep 100\"               3 days ago       Exited (137) 2 days ago   "
                + "                                                       db\n"
                + "fedcba987654   busybox        \"sh -c 'echo \\\"h\u00e9llo \u2026\"   30 seconds ago   Created           "
                + "        53/udp, 127.0.0.1:9000-9001->9000-9001/tcp             tabby_cat\n", r.out);
        assertEquals("/v1.50/containers/json", daemon.last().target);
    }

    @Test
    void psSizeNoTruncQuietAndQuery() {
        daemon.onJson("GET /containers/json", CONTAINERS);
        CliRun.Result sized = keel().run("ps", "-s");
        assertTrue(sized.out.startsWith("CONTAINER ID   IMAGE          COMMAND                   CREATED          "
                + "STATUS                    PORTS                                                  NAMES       SIZE\n"),
                sized.out);
        assertTrue(sized.out.contains("   web         12B (virtual 187MB)\n"), sized.out);
        assertEquals("size=1", daemon.last().query());
        CliRun.Result noTrunc = keel().run("container", "ls", "--no-trunc");
        assertTrue(noTrunc.out.contains("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef   sha256:bb11"
                + "bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44           \"sleep 100\"                  "
                + "                    3 days ago       Exited (137) 2 days ago                                       "
                + "                   db,web/db\n"), noTrunc.out);
        assertEquals("9f3c2a1b4d5e\n0123456789ab\nfedcba987654\n", keel().run("ps", "-q").out);
        keel().run("ps", "-a", "-q", "-l", "-s", "--no-trunc", "--filter", "status=running", "--filter", "name=x");
        assertEquals("all=1&filters=%7B%22name%22%3A%7B%22x%22%3Atrue%7D%2C%22status%22%3A%7B%22running%22%3Atrue%7D"
                + "%7D&limit=1&size=1", daemon.last().query());
        keel().run("ps", "-n", "3");
        assertEquals("limit=3", daemon.last().query());
    }

    @Test
    void psFormats() {
        daemon.onJson("GET /containers/json", CONTAINERS);
        String first = keel().run("ps", "--format", "json").out.split("\n")[0];
        assertEquals("{\"Command\":\"\\\"/docker-entrypoint.\u2026\\\"\",\"CreatedAt\":\"2024-06-01 11:58:00 +0000 UTC\","
                + "\"ID\":\"9f3c2a1b4d5e\",\"Image\":\"nginx:1.25\",\"Labels\":\"a=1,b=2\",\"LocalVolumes\":\"1\","
                + "\"Mounts\":\"0123456789abcd\u2026\",\"Names\":\"web\",\"Networks\":\"bridge\",\"Platform\":null,"
                + "\"Ports\":\"443-444/tcp, 0.0.0.0:8080-\\u003e80/tcp, [::]:8080-\\u003e80/tcp\",\"RunningFor\":"
                + "\"2 minutes ago\",\"Size\":\"12B (virtual 187MB)\",\"State\":\"running\",\"Status\":\"Up 2 minutes\"}",
                first);
        assertEquals("", daemon.last().query(), "a json format does not ask for sizes");
        assertEquals("NAMES       a         my label   LABELS    MOUNTS            LOCAL VOLUMES   NETWORKS   STATE     "
                + "PLATFORM\nweb         1                    a=1,b=2   0123456789abcd\u2026   1               bridge     "
                + "running   <nil>\ndb                                                           0                     "
                + "     exited    <nil>\ntabby_cat                                                    0                "
                + "          created   <nil>\n", keel().run("ps", "--format", "table {{.Names}}\\t{{.Label \"a\"}}\\t"
                        + "{{.Label \"com.x.my-label\"}}\\t{{.Labels}}\\t{{.Mounts}}\\t{{.LocalVolumes}}\\t{{.Networks}}"
                        + "\\t{{.State}}\\t{{.Platform}}").out);
        keel().run("ps", "--format", "{{.Names}} {{.Size}}");
        assertEquals("size=1", daemon.last().query(), "a template that reads .Size asks for sizes");
        CliRun.Result raw = keel().run("ps", "--format", "raw");
        assertTrue(raw.out.startsWith("container_id: 9f3c2a1b4d5e\nimage: nginx:1.25\ncommand: \"/docker-entrypoint."
                + "\u2026\"\ncreated_at: 2024-06-01 11:58:00 +0000 UTC\nstate: running\nstatus: Up 2 minutes\nnames: web\n"
                + "labels: a=1,b=2\nports: 443-444/tcp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp\n\ncontainer_id: "),
                raw.out);
        CliRun.Result bad = keel().run("ps", "--format", "{{.Foo}}");
        assertEquals(1, bad.code);
        assertEquals("failed to execute template: template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo "
                + "in type *formatter.ContainerContext\n", bad.err);
        CliRun.Result quietFormat = keel().run("ps", "-q", "--format", "{{.Names}}");
        assertEquals("WARNING: Ignoring custom format, because both --format and --quiet are set.\n", quietFormat.err);
        assertEquals("9f3c2a1b4d5e\n0123456789ab\nfedcba987654\n", quietFormat.out);
    }

    // ----- logs

    @Test
    void logsDemultiplexAndPassTheQuery() {
        daemon.onJson("GET /containers/web/json", "{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":false}}");
        byte[] frames = FakeContainer.concat(FakeContainer.frame(1,
                "2024-06-01T11:59:00.123456789Z out line\n"), FakeContainer.frame(2,
                "2024-06-01T11:59:01.000000001Z err line\n"));
        daemon.on("GET /containers/" + ID + "/logs", FakeDaemon.Response.bytes(
                "application/vnd.docker.multiplexed-stream", frames));
        CliRun.Result r = keel().run("logs", "-t", "--tail", "5", "--since", "10m", "--until",
                "2024-06-01T12:00:00Z", "--details", "-f", "web");
        assertEquals(0, r.code, r.toString());
        assertEquals("2024-06-01T11:59:00.123456789Z out line\n", r.out);
        assertEquals("2024-06-01T11:59:01.000000001Z err line\n", r.err);
        assertEquals(List.of("GET /containers/web/json", "GET /containers/ID/logs?details=1&follow=1&since="
                + (NOW - 600) + "&stderr=1&stdout=1&tail=5&timestamps=1&until=" + NOW + ".000000000"), calls());
        assertEquals("invalid value for \"since\": failed to parse value as time or duration: \"xyz\"\n",
                keel().run("logs", "--since", "xyz", "web").err);
    }

    @Test
    void ttyLogsAreRaw() {
        daemon.onJson("GET /containers/t/json", "{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":true}}");
        daemon.on("GET /containers/" + ID + "/logs", FakeDaemon.Response.bytes("application/vnd.docker.raw-stream",
                "\u0001raw\r\n".getBytes(StandardCharsets.UTF_8)));
        CliRun.Result r = keel().run("logs", "t");
        assertEquals("\u0001raw\r\n", r.out);
        assertEquals("stderr=1&stdout=1&tail=all", daemon.last().query());
    }

    @Test
    void logsOfAMissingContainer() {
        daemon.on("GET /containers/nope/json", FakeDaemon.Response.json(404, "{\"message\":\"No such container: nope\"}"));
        CliRun.Result r = keel().run("logs", "nope");
        assertEquals(1, r.code);
        assertEquals("Error response from daemon: No such container: nope\n", r.err);
    }

    // ----- lifecycle

    @Test
    void stopKillPauseRestartPrintNamesInOrder() {
        for (String c : List.of("a", "b", "c")) {
            for (String op : List.of("stop", "kill", "pause", "unpause", "restart")) {
                daemon.on("POST /containers/" + c + "/" + op, FakeDaemon.Response.text(204, null, ""));
            }
        }
        CliRun.Result stop = keel().run("stop", "-t", "5", "-s", "SIGUSR1", "a", "b", "c");
        assertEquals("a\nb\nc\n", stop.out);
        assertEquals(new HashSet<>(List.of("POST /containers/a/stop?signal=SIGUSR1&t=5",
                "POST /containers/b/stop?signal=SIGUSR1&t=5", "POST /containers/c/stop?signal=SIGUSR1&t=5")),
                new HashSet<>(calls()), "in parallel, each once");
        CliRun.Result time = keel().run("stop", "--time", "3", "a");
        assertEquals("Flag --time has been deprecated, use --timeout instead\n", time.err);
        assertEquals("t=3", daemon.last().query());
        assertEquals("Flag --time has been deprecated, use --timeout instead\nconflicting options: cannot specify both "
                + "--timeout and --time\n", keel().run("stop", "--time", "1", "-t", "2", "a").err);
        assertEquals("a\nb\n", keel().run("kill", "-s", "HUP", "a", "b").out);
        keel().run("kill", "a");
        assertEquals("", daemon.last().query(), "the daemon's default signal");
        assertEquals("a\nc\n", keel().run("pause", "a", "c").out);
        assertEquals("b\n", keel().run("container", "unpause", "b").out);
        int before = calls().size();
        assertEquals("b\na\n", keel().run("restart", "-t", "1", "b", "a").out);
        assertEquals(List.of("POST /containers/b/restart?t=1", "POST /containers/a/restart?t=1"),
                calls().subList(before, before + 2), "restart goes one at a time");
        CliRun.Result bad = keel().run("stop", "-t", "x", "a");
        assertEquals(125, bad.code);
        assertTrue(bad.err.startsWith("invalid argument \"x\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing "
                + "\"x\": invalid syntax\n"), bad.err);
    }

    @Test
    void rmReportsLikeDocker() {
        daemon.on("DELETE /containers/a", FakeDaemon.Response.text(204, null, ""));
        daemon.on("DELETE /containers/running", FakeDaemon.Response.json(409, "{\"message\":\"cannot remove container "
                + "\\\"/running\\\": container is running: stop the container before removing or force remove\"}"));
        daemon.on("DELETE /containers/gone", FakeDaemon.Response.json(404, "{\"message\":\"No such container: gone\"}"));
        CliRun.Result r = keel().run("rm", "a", "running");
        assertEquals(1, r.code);
        assertEquals("a\n", r.out);
        assertEquals("Error response from daemon: cannot remove container \"/running\": container is running: stop "
                + "the container before removing or force remove\n", r.err);
        CliRun.Result forced = keel().run("rm", "-f", "-v", "gone", "a");
        assertEquals(0, forced.code, "-f: a missing container is no failure");
        assertEquals("a\n", forced.out);
        assertEquals("Error response from daemon: No such container: gone\n", forced.err);
        assertEquals("force=1&v=1", daemon.last().query());
        CliRun.Result empty = keel().run("rm", "/");
        assertEquals("container name cannot be empty\n", empty.err);
        assertEquals(1, keel().run("rm", "gone").code);
    }

    @Test
    void waitPrintsExitCodesInTurn() {
        daemon.onJson("POST /containers/a/wait", "{\"StatusCode\":0}");
        daemon.onJson("POST /containers/b/wait", "{\"StatusCode\":137}");
        daemon.on("POST /containers/c/wait", FakeDaemon.Response.json(404, "{\"message\":\"No such container: c\"}"));
        CliRun.Result r = keel().run("wait", "a", "b", "c");
        assertEquals(1, r.code);
        assertEquals("0\n137\n", r.out);
        assertEquals("Error response from daemon: No such container: c\n", r.err);
        assertEquals(List.of("POST /containers/a/wait", "POST /containers/b/wait", "POST /containers/c/wait"), calls());
    }

    @Test
    void topRenameAndInspect() {
        daemon.onJson("GET /containers/web/top", "{\"Titles\":[\"UID\",\"PID\",\"PPID\",\"CMD\"],\"Processes\":"
                + "[[\"root\",\"4242\",\"4200\",\"sleep 100\"],[\"nobody\",\"4250\",\"4242\",\"sh -c echo a very long "
                + "command line\"]]}");
        CliRun.Result top = keel().run("top", "web", "-o", "pid,comm");
        assertEquals("UID                 PID                 PPID                CMD\n"
                + "root                4242                4200                sleep 100\n"
                + "nobody              4250                4242                sh -c echo a very long command line\n",
                top.out);
        assertEquals("ps_args=-o+pid%2Ccomm", daemon.last().query());

        daemon.on("POST /containers/old/rename", FakeDaemon.Response.text(204, null, ""));
        assertEquals(0, keel().run("rename", "old", "new").code);
        assertEquals("name=new", daemon.last().query());
        daemon.on("POST /containers/x/rename", FakeDaemon.Response.json(409, "{\"message\":\"name in use\"}"));
        CliRun.Result bad = keel().run("rename", "x", "y");
        assertEquals("Error response from daemon: name in use\nError: failed to rename container named x\n", bad.err);

        daemon.onJson("GET /containers/web/json", "{\"Id\":\"abc\",\"Name\":\"/web\",\"State\":{\"Status\":\"running\"}}");
        assertEquals("/web running\n", keel().run("inspect", "-f", "{{.Name}} {{.State.Status}}", "web").out);
        keel().run("container", "inspect", "-s", "web");
        assertEquals("size=1", daemon.last().query());
        // keel inspect falls back to images when no container has the name, as docker does
        daemon.onJson("GET /images/busybox/json", "{\"Id\":\"sha256:1\",\"RepoTags\":[\"busybox:latest\"]}");
        CliRun.Result image = keel().run("inspect", "-f", "{{.Id}}", "busybox");
        assertEquals("sha256:1\n", image.out);
        assertEquals(List.of("GET /containers/busybox/json", "GET /images/busybox/json"),
                calls().subList(calls().size() - 2, calls().size()));
    }

    // ----- exec, attach, start

    @Test
    void execCreatesAttachesAndExitsWithTheExecsCode() {
        daemon.onJson("GET /containers/web/json", "{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":false}}");
        daemon.on("POST /containers/web/exec", FakeDaemon.Response.json(201, "{\"Id\":\"e1\"}"));
        daemon.on("POST /exec/e1/start", r -> FakeDaemon.Response.hijack((req, in, out, ch) -> {
            out.write(FakeContainer.frame(1, "hello\n"));
            ch.close();
        }));
        daemon.onJson("GET /exec/e1/json", "{\"ExitCode\":4,\"Running\":false}");
        CliRun run = keel();
        run.env.put("LOCAL", "here");
        CliRun.Result r = run.run("exec", "-e", "A=1", "-e", "LOCAL", "-u", "root", "-w", "/tmp", "--privileged", "web",
                "ls", "-l");
        assertEquals(4, r.code, r.toString());
        assertEquals("hello\n", r.out);
        assertEquals(List.of("GET /containers/web/json", "POST /containers/web/exec", "POST /exec/e1/start",
                "GET /exec/e1/json"), calls());
        assertEquals("{\"User\":\"root\",\"Privileged\":true,\"Tty\":false,\"AttachStdin\":false,\"AttachStderr\":true,"
                + "\"AttachStdout\":true,\"Detach\":false,\"DetachKeys\":\"\",\"Env\":[\"A=1\",\"LOCAL=here\"],"
                + "\"WorkingDir\":\"/tmp\",\"Cmd\":[\"ls\",\"-l\"]}\n", daemon.apiRequests().get(1).bodyText());
        FakeDaemon.Request start = daemon.apiRequests().get(2);
        assertEquals("{\"Detach\":false,\"Tty\":false}\n", start.bodyText());
        assertEquals("Upgrade", start.header("Connection"));
        assertEquals("application/json", start.header("Content-Type"));
    }

    @Test
    void execDetachedAndTtyChecks() {
        daemon.onJson("GET /containers/web/json", "{\"Id\":\"" + ID + "\"}");
        daemon.on("POST /containers/web/exec", FakeDaemon.Response.json(201, "{\"Id\":\"e2\"}"));
        daemon.on("POST /exec/e2/start", FakeDaemon.Response.text(200, null, ""));
        CliRun.Result r = keel().run("exec", "-d", "web", "sleep", "9");
        assertEquals(0, r.code, r.toString());
        assertEquals("{\"Detach\":true,\"Tty\":false}\n", daemon.last().bodyText());
        assertEquals("the input device is not a TTY\n", keel().run("exec", "-it", "web", "sh").err);
        CliRun.Result missing = keel().run("exec", "web");
        assertEquals("keel: 'keel exec' requires at least 2 arguments\n\nUsage:  keel exec [OPTIONS] CONTAINER "
                + "COMMAND [ARG...]\n\nSee 'keel exec --help' for more information\n", missing.err);
    }

    @Test
    void attachWaitsChecksStateAndExitsWithTheCode() throws Exception {
        FakeContainer c = new FakeContainer(daemon);
        c.output = FakeContainer.frame(1, "attached\n");
        c.started.countDown();
        c.exit.complete(7);
        daemon.onJson("GET /containers/web/json", "{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":false,\"OpenStdin\":true},"
                + "\"State\":{\"Running\":true}}");
        daemon.on("POST /containers/web/wait", FakeDaemon.Response.deferred(() -> "{\"StatusCode\":7}"));
        daemon.on("POST /containers/web/attach", r -> FakeDaemon.Response.hijack((req, in, out, ch) -> {
            out.write(FakeContainer.frame(1, "attached\n"));
            ch.close();
        }));
        CliRun.Result r = keel().stdin("").run("attach", "web");
        assertEquals(7, r.code, r.toString());
        assertEquals("attached\n", r.out);
        assertEquals(List.of("POST /containers/web/wait", "GET /containers/web/json",
                "POST /containers/web/attach?stderr=1&stdin=1&stdout=1&stream=1", "GET /containers/web/json"), calls());

        daemon.onJson("GET /containers/stopped/json", "{\"Id\":\"x\",\"State\":{\"Running\":false}}");
        daemon.on("POST /containers/stopped/wait", FakeDaemon.Response.deferred(() -> "{\"StatusCode\":0}"));
        assertEquals("You cannot attach to a stopped container, start it first\n",
                keel().run("attach", "stopped").err);
    }

    @Test
    void startAttachedWaitsAndExits() throws Exception {
        FakeContainer c = new FakeContainer(daemon);
        c.output = FakeContainer.frame(1, "started\n");
        c.exit.complete(2);
        daemon.onJson("GET /containers/web/json", "{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":false},\"HostConfig\":"
                + "{\"AutoRemove\":false}}");
        CliRun.Result r = keel().run("start", "-a", "web");
        assertEquals(2, r.code, r.toString());
        assertEquals("started\n", r.out);
        assertEquals(List.of("GET /containers/web/json", "POST /containers/ID/attach?stderr=1&stdout=1&stream=1",
                "POST /containers/ID/wait?condition=next-exit", "POST /containers/ID/start"), calls());
        assertTrue(c.stdinEof.get(5, TimeUnit.SECONDS));
    }

    @Test
    void startManyReportsFailuresAtTheEnd() {
        daemon.on("POST /containers/a/start", FakeDaemon.Response.text(204, null, ""));
        daemon.on("POST /containers/b/start", FakeDaemon.Response.json(404, "{\"message\":\"No such container: b\"}"));
        CliRun.Result r = keel().run("start", "a", "b");
        assertEquals(1, r.code);
        assertEquals("a\n", r.out);
        assertEquals("Error response from daemon: No such container: b\nError: failed to start containers: b\n", r.err);
        assertEquals("you cannot start and attach multiple containers at once\n",
                keel().run("start", "-a", "a", "b").err);
    }
}
