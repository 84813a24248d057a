package keel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.cli.internal.http.DaemonHost;

/** Host selection, version negotiation, error messages and usage errors, as docker's CLI behaves. */
class CliBehaviourTest {

    @TempDir
    Path dir;
    FakeDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new FakeDaemon(Files.createDirectory(dir.resolve("a")));
        daemon.onJson("GET /images/json", "[]");
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private static String cannotConnect(String host) {
        return "Cannot connect to the Keel daemon at " + host + ". Is the daemon running?\n";
    }

    @Test
    void hostFlagBeatsKeelHostBeatsDockerHost() throws Exception {
        String nowhere = "unix://" + dir.resolve("nowhere.sock");
        CliRun run = new CliRun();
        run.env.put("DOCKER_HOST", daemon.host());
        assertEquals(0, run.run("images").code);

        run.env.put("KEEL_HOST", nowhere);
        CliRun.Result viaKeelHost = run.run("images");
        assertEquals(1, viaKeelHost.code);
        assertEquals(cannotConnect(nowhere), viaKeelHost.err);

        assertEquals(0, run.run("-H", daemon.host(), "images").code);
        assertEquals(0, run.run("--host=" + daemon.host(), "images").code);

        run.env.put("KEEL_HOST", "");
        assertEquals(0, run.run("images").code, "empty KEEL_HOST counts as unset");
    }

    @Test
    void defaultHostIsTheKeelSocket() {
        // Checked without connecting: a real keeld may listen there on this machine.
        assertEquals("unix:///run/keel.sock", DaemonHost.select(null, Map.of()));
        assertEquals("unix:///run/keel.sock", DaemonHost.select("", Map.of("DOCKER_HOST", "")));
        assertEquals("tcp://h:1", DaemonHost.select(null, Map.of("DOCKER_HOST", "tcp://h:1")));
    }

    @Test
    void tcpHostsAreParsed() {
        CliRun.Result r = new CliRun().run("-H", "tcp://127.0.0.1:1", "images");
        assertEquals(1, r.code);
        assertEquals(cannotConnect("tcp://127.0.0.1:1"), r.err);
        CliRun.Result bad = new CliRun().run("-H", "ssh://x", "images");
        assertEquals("unable to parse daemon host `ssh://x`: only unix:// and tcp:// hosts are supported\n", bad.err);
    }

    @Test
    void negotiationFallsBackToGetPing() {
        daemon.headPingAllowed = false;
        daemon.apiVersion = "1.41";
        CliRun.Result r = CliRun.against(daemon).run("images", "-q");
        assertEquals(0, r.code, r.toString());
        assertEquals(List.of("HEAD /_ping", "GET /_ping", "GET /v1.41/images/json"),
                daemon.requests().stream().map(Object::toString).collect(Collectors.toList()));
    }

    @Test
    void missingApiVersionHeaderMeansTheOldestVersion() {
        daemon.apiVersion = null;
        CliRun.Result r = CliRun.against(daemon).run("images", "-q");
        assertEquals(0, r.code, r.toString());
        assertEquals("/v1.24/images/json", daemon.last().target);
    }

    @Test
    void newerDaemonsAreSpokenToAtOurVersion() {
        daemon.apiVersion = "1.52";
        CliRun.Result r = CliRun.against(daemon).run("images", "-q");
        assertEquals(0, r.code, r.toString());
        assertEquals("/v1.50/images/json", daemon.last().target);
    }

    @Test
    void pinnedApiVersionSkipsThePing() {
        CliRun run = CliRun.against(daemon);
        run.env.put("DOCKER_API_VERSION", "1.44");
        assertEquals(0, run.run("images").code);
        assertEquals(List.of("GET /v1.44/images/json"),
                daemon.requests().stream().map(Object::toString).collect(Collectors.toList()));
    }

    @Test
    void oneConnectionCarriesThePingAndTheRequest() {
        CliRun.Result r = CliRun.against(daemon).run("images");
        assertEquals(0, r.code);
        assertEquals(2, daemon.requests().size());
        assertEquals(1, daemon.connections(), "the ping's connection is kept alive for the request");
    }

    @Test
    void daemonErrorShapes() {
        daemon.on("GET /images/json", FakeDaemon.Response.json(500, "{\"message\":\"  disk on fire \\n\"}"));
        assertEquals("Error response from daemon: disk on fire\n", CliRun.against(daemon).run("images").err);
        daemon.on("GET /images/json", FakeDaemon.Response.text(500, "text/plain", "plain failure\n"));
        assertEquals("Error response from daemon: plain failure\n", CliRun.against(daemon).run("images").err);
        daemon.on("GET /images/json", FakeDaemon.Response.json(500, "{}"));
        assertEquals("Error response from daemon: API returned a 500 (Internal Server Error) but provided no "
                + "error-message\n", CliRun.against(daemon).run("images").err);
        daemon.on("GET /images/json", FakeDaemon.Response.text(404, null, ""));
        CliRun.Result empty = CliRun.against(daemon).run("images", "-a");
        assertEquals(1, empty.code);
        assertEquals("request returned 404 Not Found for API route and version http://"
                + daemon.socket().toString().replace("/", "%2F") + "/v1.50/images/json?all=1, check if the server "
                + "supports the requested API version\n", empty.err);
    }

    @Test
    void flagErrorsExit125WithUsage() {
        CliRun.Result r = CliRun.against(daemon).run("images", "--bogus");
        assertEquals(125, r.code);
        assertEquals("unknown flag: --bogus\n\nUsage:  keel images [OPTIONS] [REPOSITORY[:TAG]]\n\n"
                + "Run 'keel images --help' for more information\n", r.err);
        CliRun.Result s = CliRun.against(daemon).run("image", "ls", "-aqx");
        assertEquals(125, s.code);
        assertEquals("unknown shorthand flag: 'x' in -x\n\nUsage:  keel image ls [OPTIONS] [REPOSITORY[:TAG]]\n\n"
                + "Run 'keel image ls --help' for more information\n", s.err);
        CliRun.Result v = CliRun.against(daemon).run("images", "--format");
        assertEquals(125, v.code);
        assertTrue(v.err.startsWith("flag needs an argument: --format\n"), v.err);
        CliRun.Result g = CliRun.against(daemon).run("--bogus", "images");
        assertEquals(125, g.code);
        assertEquals("unknown flag: --bogus\n\nUsage:  keel [OPTIONS] COMMAND\n\nRun 'keel --help' for more "
                + "information\n", g.err);
        assertTrue(daemon.apiRequests().isEmpty(), "usage errors send nothing but (at most) the early version ping");
    }

    @Test
    void argumentCountAndUnknownCommandsExit1() {
        CliRun.Result max = CliRun.against(daemon).run("images", "a", "b");
        assertEquals(1, max.code);
        assertEquals("keel: 'keel images' requires at most 1 argument\n\nUsage:  keel images [OPTIONS] "
                + "[REPOSITORY[:TAG]]\n\nRun 'keel images --help' for more information\n", max.err);
        CliRun.Result min = CliRun.against(daemon).run("rmi");
        assertEquals("keel: 'keel rmi' requires at least 1 argument\n\nUsage:  keel rmi [OPTIONS] IMAGE [IMAGE...]\n\n"
                + "See 'keel rmi --help' for more information\n", min.err);
        CliRun.Result none = CliRun.against(daemon).run("version", "x");
        assertEquals("keel: 'keel version' accepts no arguments\n\nUsage:  keel version [OPTIONS]\n\n"
                + "Run 'keel version --help' for more information\n", none.err);
        CliRun.Result cmd = CliRun.against(daemon).run("foo");
        assertEquals(1, cmd.code);
        assertEquals("keel: unknown command: keel foo\n\nRun 'keel --help' for more information\n", cmd.err);
        CliRun.Result sub = CliRun.against(daemon).run("image", "foo");
        assertEquals(1, sub.code);
        assertEquals("keel: unknown command: keel image foo\n\nUsage:  keel image\n\nRun 'keel image --help' for more "
                + "information\n", sub.err);
    }

    @Test
    void helpAndVersionFlags() {
        CliRun.Result root = new CliRun().run();
        assertEquals(0, root.code);
        assertTrue(root.out.contains("Usage:  keel [OPTIONS] COMMAND"), root.out);
        assertTrue(root.out.contains("  image       Manage images\n"), root.out);
        CliRun.Result group = new CliRun().run("image");
        assertEquals(0, group.code);
        assertTrue(group.out.startsWith("Usage:  keel image COMMAND\n\nManage images\n\nCommands:\n  history     "),
                group.out);
        CliRun.Result help = new CliRun().run("images", "--help");
        assertEquals(0, help.code);
        assertTrue(help.out.startsWith("Usage:  keel images [OPTIONS] [REPOSITORY[:TAG]]\n\nList images\n\nAliases:\n"
                + "  keel image ls, keel image list, keel images\n\nOptions:\n  -a, --all             Show all images"),
                help.out);
        assertTrue(help.out.contains("\n  -f, --filter filter   Filter output based on conditions provided\n"), help.out);
        assertTrue(new CliRun().run("-v").out.startsWith("Keel version "));
        assertTrue(new CliRun().run("help", "tag").out.startsWith("Usage:  keel tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"));
    }

    @Test
    void flagsAfterArgumentsAndBooleanValues() {
        daemon.onJson("GET /images/busybox/history", "[]");
        CliRun.Result r = CliRun.against(daemon).run("history", "busybox", "--human=false", "-q");
        assertEquals(0, r.code, r.toString());
        CliRun.Result tag = CliRun.against(daemon).run("tag", "a", "-x");
        assertEquals(1, tag.code, "tag takes no flags after its arguments (not interspersed)");
        assertTrue(tag.err.startsWith("Error parsing reference: \"-x\""), tag.err);
    }
}
