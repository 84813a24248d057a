package keel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image commands: the requests they send and the output they print, compared with docker 28.2's. */
class ImageCommandsTest {

    static final long NOW = CliRun.NOW.getEpochSecond();

    static final String IMAGES = "[{\"Id\":\"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824\","
            + "\"ParentId\":\"\",\"RepoTags\":[\"busybox:latest\",\"docker.io/library/busybox:1.36\","
            + "\"myreg.example.com:5000/team/busybox:v1\"],\"RepoDigests\":[\"busybox@sha256:"
            + "3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79\"],\"Created\":" + (NOW - 3 * 3600)
            + ",\"Size\":4261574,\"SharedSize\":-1,\"Labels\":null,\"Containers\":-1},"
            + "{\"Id\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"RepoTags\":[],"
            + "\"RepoDigests\":[],\"Created\":" + (NOW - 90) + ",\"Size\":999500,\"SharedSize\":-1,\"Containers\":-1},"
            + "{\"Id\":\"sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\","
            + "\"RepoTags\":[\"alpine:3.19\"],\"RepoDigests\":[],\"Created\":" + (NOW - 21 * 86400)
            + ",\"Size\":7380000,\"SharedSize\":-1,\"Containers\":-1}]";

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

    @Test
    void imagesTable() {
        daemon.onJson("GET /images/json", IMAGES);
        CliRun.Result r = keel().run("images");
        assertEquals(0, r.code, r.toString());
        assertEquals("REPOSITORY                            TAG       IMAGE ID       CREATED              SIZE\n"
                + "busybox                               latest    a416a98b71e2   3 hours ago          4.26MB\n"
                + "busybox                               1.36      a416a98b71e2   3 hours ago          4.26MB\n"
                + "myreg.example.com:5000/team/busybox   v1        a416a98b71e2   3 hours ago          4.26MB\n"
                + "<none>                                <none>    0123456789ab   About a minute ago   1e+03kB\n"
                + "alpine                                3.19      fedcba987654   3 weeks ago          7.38MB\n", r.out);
        assertEquals("", r.err);
        assertEquals("/v1.50/images/json", daemon.last().target);
        assertEquals("HEAD", daemon.requests().get(0).method);
    }

    @Test
    void imagesWithDigestsQuietAndNoTrunc() {
        daemon.onJson("GET /images/json", IMAGES);
        assertEquals("REPOSITORY                            TAG       DIGEST" + " ".repeat(68)
                + "IMAGE ID       CREATED              SIZE\n"
                + "busybox                               latest    sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79   a416a98b71e2   3 hours ago          4.26MB\n"
                + "busybox                               1.36      sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79   a416a98b71e2   3 hours ago          4.26MB\n"
                + "myreg.example.com:5000/team/busybox   v1        <none>                                                                    a416a98b71e2   3 hours ago          4.26MB\n"
                + "<none>                                <none>    <none>                                                                    0123456789ab   About a minute ago   1e+03kB\n"
                + "alpine                                3.19      <none>                                                                    fedcba987654   3 weeks ago          7.38MB\n",
                keel().run("images", "--digests").out);
        assertEquals("a416a98b71e2\na416a98b71e2\na416a98b71e2\n0123456789ab\nfedcba987654\n",
                keel().run("image", "ls", "-q").out);
        assertTrue(keel().run("images", "--no-trunc").out.contains(
                "alpine                                3.19      sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210   3 weeks ago          7.38MB\n"));
    }

    @Test
    void imagesFiltersAllAndReferenceGoToTheQuery() {
        daemon.onJson("GET /images/json", "[]");
        CliRun.Result r = keel().run("images", "-a", "-f", "dangling=true", "--filter", "label=a=b", "busy");
        assertEquals(0, r.code, r.toString());
        assertEquals("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n", r.out);
        assertEquals("all=1&filters=%7B%22dangling%22%3A%7B%22true%22%3Atrue%7D%2C%22label%22%3A%7B%22a%3Db%22%3A"
                + "true%7D%2C%22reference%22%3A%7B%22busy%22%3Atrue%7D%7D", daemon.last().query());
    }

    @Test
    void imagesJsonAndCustomFormats() {
        daemon.onJson("GET /images/json", IMAGES);
        String first = keel().run("images", "--format", "json").out.split("\n")[0];
        assertEquals("{\"Containers\":\"N/A\",\"CreatedAt\":\"2024-06-01 09:00:00 +0000 UTC\",\"CreatedSince\":"
                + "\"3 hours ago\",\"Digest\":\"\\u003cnone\\u003e\",\"ID\":\"a416a98b71e2\",\"Repository\":\"busybox\","
                + "\"SharedSize\":\"N/A\",\"Size\":\"4.26MB\",\"Tag\":\"latest\",\"UniqueSize\":\"N/A\","
                + "\"VirtualSize\":\"4.262MB\"}", first);
        assertEquals("busybox:latest 4.26MB\nbusybox:1.36 4.26MB\nmyreg.example.com:5000/team/busybox:v1 4.26MB\n"
                + "<none>:<none> 1e+03kB\nalpine:3.19 7.38MB\n",
                keel().run("images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}").out);
        assertEquals(pad("REPOSITORY:TAG", 41) + "SIZE\n" + pad("busybox:latest", 41) + "4.26MB\n"
                + pad("busybox:1.36", 41) + "4.26MB\n" + pad("myreg.example.com:5000/team/busybox:v1", 41) + "4.26MB\n"
                + pad("<none>:<none>", 41) + "1e+03kB\n" + pad("alpine:3.19", 41) + "7.38MB\n",
                keel().run("images", "--format", "table {{.Repository}}:{{.Tag}}\\t{{.Size}}").out);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    @Test
    void badTemplateFailsLikeDocker() {
        daemon.onJson("GET /images/json", IMAGES);
        CliRun.Result r = keel().run("images", "--format", "table {{.Repository}}:{{.Tag}}\\t{{.ID}}\\t{{.Foo}}");
        assertEquals(1, r.code);
        assertEquals("", r.out);
        assertEquals("template parsing error: template: :1:35: executing \"\" at <.Foo>: can't evaluate field Foo "
                + "in type *formatter.imageContext\n", r.err);
    }

    @Test
    void badFilterIsAFlagError() {
        CliRun.Result r = keel().run("images", "-f", "dangling");
        assertEquals(125, r.code);
        assertEquals("invalid argument \"dangling\" for \"-f, --filter\" flag: bad format of filter (expected "
                + "name=value)\n\nUsage:  keel images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'keel images --help' for "
                + "more information\n", r.err);
        assertTrue(daemon.apiRequests().isEmpty());
    }

    @Test
    void imagesSubcommandNameGetsAHint() {
        daemon.onJson("GET /images/json", "[]");
        CliRun.Result r = keel().run("images", "ls");
        assertEquals(0, r.code);
        assertEquals("\nNo images found matching \"ls\": did you mean \"keel image ls\"?\n", r.err);
    }

    static final String HISTORY = "[{\"Id\":\"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824\","
            + "\"Created\":" + (NOW - 3 * 3600) + ",\"CreatedBy\":\"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\","
            + "\"Tags\":[\"busybox:latest\"],\"Size\":0,\"Comment\":\"\"},"
            + "{\"Id\":\"<missing>\",\"Created\":" + (NOW - 3 * 3600 - 5) + ",\"CreatedBy\":\"/bin/sh -c #(nop) ADD "
            + "file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d95579f7fd3443cef785fd1 in / \",\"Tags\":null,"
            + "\"Size\":4261574,\"Comment\":\"buildkit.dockerfile.v0\"},"
            + "{\"Id\":\"<missing>\",\"Created\":0,\"CreatedBy\":\"\",\"Tags\":null,\"Size\":1234567890,\"Comment\":\"\"}]";

    @Test
    void historyTables() {
        daemon.onJson("GET /images/busybox/history", HISTORY);
        CliRun.Result r = keel().run("history", "busybox");
        assertEquals(0, r.code, r.toString());
        assertEquals("IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT\n"
                + "a416a98b71e2   3 hours ago   /bin/sh -c #(nop)  CMD [\"sh\"]                   0B        \n"
                + "<missing>      3 hours ago   /bin/sh -c #(nop) ADD file:7e9002edaafd4e457…   4.26MB    buildkit.dockerfile.v0\n"
                + "<missing>      N/A                                                           1.23GB    \n", r.out);
        assertEquals("IMAGE          CREATED AT             CREATED BY                                      SIZE         COMMENT\n"
                + "a416a98b71e2   2024-06-01T09:00:00Z   /bin/sh -c #(nop)  CMD [\"sh\"]                   0            \n"
                + "<missing>      2024-06-01T08:59:55Z   /bin/sh -c #(nop) ADD file:7e9002edaafd4e457…   4261574      buildkit.dockerfile.v0\n"
                + "<missing>      1970-01-01T00:00:00Z                                                   1234567890   \n",
                keel().run("image", "history", "-H=false", "busybox").out);
        assertEquals("a416a98b71e2\n<missing>\n<missing>\n", keel().run("history", "-q", "busybox").out);
        assertEquals("{\"Comment\":\"\",\"CreatedAt\":\"2024-06-01T09:00:00Z\",\"CreatedBy\":\"/bin/sh -c #(nop)  CMD "
                + "[\\\"sh\\\"]\",\"CreatedSince\":\"3 hours ago\",\"ID\":\"a416a98b71e2\",\"Size\":\"0B\"}",
                keel().run("history", "--format", "{{json .}}", "busybox").out.split("\n")[0]);
    }

    static final String INSPECT = "{\"Id\":\"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824\","
            + "\"RepoTags\":[\"busybox:latest\"],\"RepoDigests\":[],\"Parent\":\"\",\"Created\":"
            + "\"2023-05-19T20:19:24.544006345Z\",\"Config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],"
            + "\"Entrypoint\":null,\"Labels\":null},\"Architecture\":\"amd64\",\"Os\":\"linux\",\"Size\":4261574,"
            + "\"RootFS\":{\"Type\":\"layers\",\"Layers\":[\"sha256:abc\"]}}";

    @Test
    void inspectPrintsTheDaemonsJsonIndented() {
        daemon.onJson("GET /images/busybox/json", INSPECT);
        CliRun.Result r = keel().run("image", "inspect", "busybox");
        assertEquals(0, r.code, r.toString());
        assertEquals("[\n    {\n        \"Id\": \"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824\",\n"
                + "        \"RepoTags\": [\n            \"busybox:latest\"\n        ],\n        \"RepoDigests\": [],\n"
                + "        \"Parent\": \"\",\n        \"Created\": \"2023-05-19T20:19:24.544006345Z\",\n"
                + "        \"Config\": {\n            \"Env\": [\n                \"PATH=/bin\"\n            ],\n"
                + "            \"Cmd\": [\n                \"sh\"\n            ],\n            \"Entrypoint\": null,\n"
                + "            \"Labels\": null\n        },\n        \"Architecture\": \"amd64\",\n"
                + "        \"Os\": \"linux\",\n        \"Size\": 4261574,\n        \"RootFS\": {\n"
                + "            \"Type\": \"layers\",\n            \"Layers\": [\n                \"sha256:abc\"\n"
                + "            ]\n        }\n    }\n]\n", r.out);
    }

    @Test
    void inspectFormatUsesGoZeroValuesForKnownFields() {
        daemon.onJson("GET /images/busybox/json", INSPECT);
        CliRun.Result r = keel().run("inspect", "-f",
                "{{.Config.Cmd}} {{.Config.Entrypoint}} {{.Config.Labels}} {{.RepoTags}} {{.Size}}|{{.Variant}}|"
                        + "{{index .RepoTags 0}} {{len .RepoTags}} {{json .Config}}", "busybox");
        assertEquals(0, r.code, r.toString());
        assertEquals("[sh] [] map[] [busybox:latest] 4261574||busybox:latest 1 {\"Env\":[\"PATH=/bin\"],"
                + "\"Cmd\":[\"sh\"],\"Entrypoint\":null,\"Labels\":null}\n", r.out);
        CliRun.Result bad = keel().run("image", "inspect", "-f", "{{.Foo}}", "busybox");
        assertEquals(1, bad.code);
        assertEquals("\n", bad.out);
        assertEquals("template parsing error: template: :1:2: executing \"\" at <.Foo>: map has no entry for key "
                + "\"Foo\"\n", bad.err);
    }

    @Test
    void inspectOfMissingImages() {
        daemon.onJson("GET /images/busybox/json", INSPECT);
        daemon.on("GET /images/nosuch/json", FakeDaemon.Response.json(404, "{\"message\":\"No such image: nosuch\"}"));
        CliRun.Result r = keel().run("image", "inspect", "nosuch");
        assertEquals(1, r.code);
        assertEquals("[]\n", r.out);
        assertEquals("Error response from daemon: No such image: nosuch\n", r.err);
        CliRun.Result two = keel().run("image", "inspect", "-f", "{{.Os}}", "busybox", "nosuch");
        assertEquals(1, two.code);
        assertEquals("linux\n", two.out);
        CliRun.Result auto = keel().run("inspect", "nosuch");
        assertEquals(1, auto.code);
        assertEquals("Error: No such object: nosuch\n", auto.err);
        assertEquals(List.of("/images/nosuch/json", "/networks/nosuch", "/plugins/nosuch/json"),
                daemon.apiRequests().subList(daemon.apiRequests().size() - 3, daemon.apiRequests().size()).stream()
                        .map(FakeDaemon.Request::path).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void tagNormalizesTheTarget() {
        daemon.on("POST /images/busybox/tag", FakeDaemon.Response.text(201, null, ""));
        CliRun.Result r = keel().run("tag", "busybox", "myrepo:v1");
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.out);
        assertEquals("/v1.50/images/busybox/tag?repo=docker.io%2Flibrary%2Fmyrepo&tag=v1", daemon.last().target);
        keel().run("image", "tag", "busybox", "localhost:5000/a/b");
        assertEquals("repo=localhost%3A5000%2Fa%2Fb&tag=latest", daemon.last().query());

        CliRun.Result upper = keel().run("tag", "busybox", "Foo");
        assertEquals(1, upper.code);
        assertEquals("Error parsing reference: \"Foo\" is not a valid repository/tag: invalid reference format: "
                + "repository name (library/Foo) must be lowercase\n", upper.err);
        CliRun.Result digest = keel().run("tag", "busybox",
                "x@sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79");
        assertEquals("refusing to create a tag with a digest reference\n", digest.err);
        CliRun.Result args = keel().run("tag", "busybox");
        assertEquals(1, args.code);
        assertEquals("keel: 'keel tag' requires 2 arguments\n\nUsage:  keel tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"
                + "\n\nRun 'keel tag --help' for more information\n", args.err);
    }

    private static final String DELETED = "[{\"Untagged\":\"busybox:latest\"},{\"Deleted\":"
            + "\"sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824\"}]";

    @Test
    void rmiPrintsUntaggedAndDeleted() {
        daemon.onJson("DELETE /images/busybox", DELETED);
        daemon.on("DELETE /images/nosuch", FakeDaemon.Response.json(404, "{\"message\":\"No such image: nosuch:latest\"}"));
        daemon.on("DELETE /images/used", FakeDaemon.Response.json(409,
                "{\"message\":\"conflict: unable to remove repository reference \\\"used\\\"\"}"));
        CliRun.Result r = keel().run("rmi", "busybox", "nosuch");
        assertEquals(1, r.code);
        assertEquals("Untagged: busybox:latest\nDeleted: sha256:a416a98b71e224a31ee99cff8e16063554498227d2b696152a9c3e0aa65e5824\n",
                r.out);
        assertEquals("Error response from daemon: No such image: nosuch:latest\n", r.err);

        CliRun.Result forced = keel().run("rmi", "-f", "nosuch", "busybox");
        assertEquals(0, forced.code);
        assertEquals("Error response from daemon: No such image: nosuch:latest\n", forced.err);
        assertEquals("force=1", daemon.last().query());

        CliRun.Result conflict = keel().run("image", "rm", "-f", "--no-prune", "used");
        assertEquals(1, conflict.code);
        assertEquals("force=1&noprune=1", daemon.last().query());
    }

    private static final String PRUNED = "{\"ImagesDeleted\":[{\"Untagged\":\"x:1\"},{\"Deleted\":\"sha256:abc\"}],"
            + "\"SpaceReclaimed\":12345678}";

    @Test
    void pruneAsksFirst() {
        daemon.onJson("POST /images/prune", PRUNED);
        CliRun.Result no = keel().stdin("n\n").run("image", "prune");
        assertEquals(0, no.code);
        assertEquals("WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ", no.out);
        assertTrue(daemon.apiRequests().isEmpty());

        CliRun.Result yes = keel().stdin("y\n").run("image", "prune");
        assertEquals(0, yes.code);
        assertEquals("WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
                + "Deleted Images:\nuntagged: x:1\ndeleted: sha256:abc\n\nTotal reclaimed space: 12.35MB\n", yes.out);
        assertEquals("filters=%7B%22dangling%22%3A%7B%22true%22%3Atrue%7D%7D", daemon.last().query());

        CliRun.Result all = keel().run("image", "prune", "-a", "-f", "--filter", "until=24h", "--filter", "label=x");
        assertEquals(0, all.code);
        assertEquals("filters=%7B%22dangling%22%3A%7B%22false%22%3Atrue%7D%2C%22label%22%3A%7B%22x%22%3Atrue%7D%2C"
                + "%22until%22%3A%7B%2224h%22%3Atrue%7D%7D", daemon.last().query());
    }

    @Test
    void pruneWithNothingDeleted() {
        daemon.onJson("POST /images/prune", "{\"ImagesDeleted\":null,\"SpaceReclaimed\":0}");
        assertEquals("Total reclaimed space: 0B\n", keel().run("image", "prune", "-f").out);
    }

    @Test
    void loadSendsTheFileWithContentLength() throws Exception {
        daemon.on("POST /images/load", FakeDaemon.Response.stream("{\"stream\":\"Loaded image: busybox:latest\\n\"}"));
        byte[] tar = new byte[3000];
        tar[0] = 'x';
        Path file = dir.resolve("busybox.tar");
        Files.write(file, tar);
        CliRun.Result r = keel().run("load", "-i", file.toString());
        assertEquals(0, r.code, r.toString());
        assertEquals("Loaded image: busybox:latest\n", r.out);
        FakeDaemon.Request req = daemon.last();
        assertEquals("/v1.50/images/load?quiet=1", req.target);
        assertEquals("application/x-tar", req.header("Content-Type"));
        assertEquals("3000", req.header("Content-Length"));
        assertArrayEquals(tar, req.body);
    }

    @Test
    void loadFromStdinIsChunked() {
        daemon.on("POST /images/load", FakeDaemon.Response.stream("{\"stream\":\"Loaded image: busybox:latest\\n\"}"));
        byte[] tar = "tar bytes from a pipe".getBytes(StandardCharsets.UTF_8);
        CliRun.Result r = keel().stdin(tar).run("image", "load");
        assertEquals(0, r.code, r.toString());
        assertEquals("chunked", daemon.last().header("Transfer-Encoding"));
        assertNull(daemon.last().header("Content-Length"));
        assertArrayEquals(tar, daemon.last().body);

        CliRun.Result tty = keel().tty(true, true, true).run("load");
        assertEquals(1, tty.code);
        assertEquals("requested load from stdin, but stdin is empty\n", tty.err);

        CliRun.Result missing = keel().run("load", "-i", dir.resolve("nope.tar").toString());
        assertEquals("open " + dir.resolve("nope.tar") + ": no such file or directory\n", missing.err);
    }

    @Test
    void loadOnATerminalAsksForProgressAndDrawsIt() {
        daemon.on("POST /images/load", FakeDaemon.Response.stream(
                "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":32768,\"total\":4500000},\"id\":\"a1b2c3d4e5f6\"}",
                "{\"stream\":\"Loaded image: busybox:latest\\n\"}"));
        CliRun.Result r = keel().tty(false, true, true).stdin("x").run("load");
        assertEquals(0, r.code, r.toString());
        assertEquals("quiet=0", daemon.last().query());
        assertEquals("\n\u001b[1A\u001b[2K\ra1b2c3d4e5f6: Loading layer [>" + " ".repeat(50) + "]  32.77kB/4.5MB\r"
                + "\u001b[1BLoaded image: busybox:latest\n", r.out);
    }

    @Test
    void daemonRefusingAnUploadEarlyIsReportedNotTheBrokenPipe() throws Exception {
        FakeDaemon.Response refuse = FakeDaemon.Response.json(400,
                "{\"message\":\"invalid platform: \\\"plan9\\\"\"}");
        refuse.beforeBody = true;
        daemon.on("POST /images/load", refuse);
        Path big = dir.resolve("big.tar");
        Files.write(big, new byte[16 * 1024 * 1024]);
        CliRun.Result r = keel().run("load", "-i", big.toString());
        assertEquals(1, r.code);
        assertEquals("Error response from daemon: invalid platform: \"plan9\"\n", r.err);
    }

    @Test
    void loadErrorInTheStream() {
        daemon.on("POST /images/load", FakeDaemon.Response.stream(
                "{\"errorDetail\":{\"message\":\"invalid tar header\"},\"error\":\"invalid tar header\"}"));
        CliRun.Result r = keel().stdin("x").run("load", "-q");
        assertEquals(1, r.code);
        assertEquals("invalid tar header\n", r.err);
    }

    @Test
    void saveToStdoutAndToAFile() throws Exception {
        byte[] tar = new byte[10240];
        tar[100] = 7;
        daemon.on("GET /images/get", FakeDaemon.Response.bytes("application/x-tar", tar));
        CliRun.Result r = keel().run("save", "busybox", "alpine");
        assertEquals(0, r.code, r.toString());
        assertArrayEquals(tar, r.outBytes);
        assertEquals("/v1.50/images/get?names=busybox&names=alpine", daemon.last().target);

        Path out = dir.resolve("out.tar");
        CliRun.Result f = keel().tty(false, true, true).run("image", "save", "-o", out.toString(), "busybox");
        assertEquals(0, f.code, f.toString());
        assertArrayEquals(tar, Files.readAllBytes(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp file left behind");
        }
    }

    @Test
    void saveRefusesATerminal() {
        CliRun.Result r = keel().tty(false, true, true).run("save", "busybox");
        assertEquals(1, r.code);
        assertEquals("cowardly refusing to save to a terminal. Use the -o flag or redirect\n", r.err);
        assertTrue(daemon.apiRequests().isEmpty());
    }

    @Test
    void saveErrorKeepsTheTargetUntouched() throws Exception {
        daemon.on("GET /images/get", FakeDaemon.Response.json(404, "{\"message\":\"reference does not exist\"}"));
        Path out = dir.resolve("keep.tar");
        Files.writeString(out, "old");
        CliRun.Result r = keel().run("save", "-o", out.toString(), "nosuch");
        assertEquals(1, r.code);
        assertEquals("Error response from daemon: reference does not exist\n", r.err);
        assertEquals("old", Files.readString(out));
    }

    @Test
    void importSendsChangesMessageAndPlatform() throws Exception {
        daemon.on("POST /images/create", FakeDaemon.Response.stream(
                "{\"status\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}"));
        Path file = dir.resolve("rootfs.tar");
        Files.write(file, new byte[3000]);
        CliRun.Result r = keel().run("import", "-c", "CMD [\"sh\"]", "--change", "ENV A=b", "-m", "hi", "--platform",
                "linux/AMD64", file.toString(), "myimg:1");
        assertEquals(0, r.code, r.toString());
        assertEquals("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", r.out);
        FakeDaemon.Request req = daemon.last();
        assertEquals("/v1.50/images/create?changes=CMD+%5B%22sh%22%5D&changes=ENV+A%3Db&fromSrc=-&message=hi"
                + "&platform=linux%2Famd64&repo=myimg%3A1", req.target);
        assertEquals("text/plain", req.header("Content-Type"));
        assertEquals(3000, req.body.length);
    }

    @Test
    void importFromUrlAndStdin() {
        daemon.on("POST /images/create", FakeDaemon.Response.stream("{\"status\":\"sha256:abc\"}"));
        keel().run("import", "http://example.com/x.tar");
        assertEquals("fromSrc=http%3A%2F%2Fexample.com%2Fx.tar", daemon.last().query());
        assertEquals(0, daemon.last().body.length);
        assertNull(daemon.last().header("Content-Type"));

        keel().stdin("rootfs").run("image", "import", "-", "app");
        assertEquals("fromSrc=-&repo=app", daemon.last().query());
        assertEquals("chunked", daemon.last().header("Transfer-Encoding"));
        assertEquals("rootfs", daemon.last().bodyText());
    }

    @Test
    void importErrors() {
        daemon.on("POST /images/create", FakeDaemon.Response.stream("{\"status\":\"Importing\"}",
                "{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}"));
        CliRun.Result r = keel().stdin("x").run("import", "-", "bad");
        assertEquals(1, r.code);
        assertEquals("Importing\n", r.out);
        assertEquals("boom\n", r.err);
        CliRun.Result ref = keel().stdin("x").run("import", "-", "Bad:Ref");
        assertEquals(1, ref.code);
        assertEquals("invalid reference format: repository name (library/Bad) must be lowercase\n", ref.err);
    }
}
