package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.ImportOptions;

/** The API over a real Unix socket, with fake services behind it: what a Docker client sees on the wire. */
class DockerApiOverSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ApiFixture api;
    UnixHttpClient http;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(dir);
        http = api.http;
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // --- version negotiation and common headers -------------------------------------------------------------

    @Test
    void everyResponseCarriesDockersHeaders() throws Exception {
        for (String target : List.of("/_ping", "/v1.50/version", "/nope", "/v1.99/_ping")) {
            UnixHttpClient.Response r = http.get(target);
            assertEquals("1.50", r.header("Api-Version"), target);
            assertEquals("Keel/" + FakeSystemService.VERSION + " (linux)", r.header("Server"), target);
            assertEquals("false", r.header("Docker-Experimental"), target);
            assertEquals("linux", r.header("Ostype"), target);
        }
    }

    @Test
    void versionPrefixIsOptionalAndNegotiated() throws Exception {
        assertEquals(200, http.get("/version").status());
        assertEquals(200, http.get("/v1.50/version").status());
        assertEquals(200, http.get("/v1.24/version").status());
        assertEquals(200, http.get("/v1.41/images/json").status());
    }

    @Test
    void tooNewVersionIsRefusedWithDockersMessage() throws Exception {
        UnixHttpClient.Response r = http.get("/v1.99/version");
        assertEquals(400, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("client version 1.99 is too new. Maximum supported API version is 1.50", r.message());
    }

    @Test
    void tooOldVersionIsRefusedWithDockersMessage() throws Exception {
        UnixHttpClient.Response r = http.get("/v1.12/_ping");
        assertEquals(400, r.status());
        assertEquals("client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your "
                + "client to a newer version", r.message());
    }

    @Test
    void malformedVersionIsABadRequest() throws Exception {
        for (String v : List.of("1.5.0", "1", "1.", ".50")) {
            UnixHttpClient.Response r = http.get("/v" + v + "/version");
            assertEquals(400, r.status(), v);
            assertTrue(r.message().contains("malformed API version"), r.message());
        }
    }

    @Test
    void routeNewerThanTheClientVersionIsRefused() throws Exception {
        UnixHttpClient.Response r = http.send("POST", "/v1.24/images/prune");
        assertEquals(400, r.status());
        assertTrue(r.message().contains("requires API version 1.25"), r.message());
    }

    @Test
    void unknownRouteIsPageNotFound() throws Exception {
        for (String target : List.of("/nope", "/v1.50/containers/json/x", "/images/busybox", "/vx/_ping")) {
            UnixHttpClient.Response r = http.get(target);
            assertEquals(404, r.status(), target);
            assertEquals("page not found", r.message());
            assertEquals("application/json", r.header("Content-Type"));
        }
        // Wrong method on a known path.
        assertEquals(404, http.send("PUT", "/images/json", Map.of(), new byte[0]).status());
        // An unknown route is a 404 whatever version it asks for, as with dockerd.
        assertEquals(404, http.get("/v1.99/nope").status());
    }

    // --- ping, version, info ----------------------------------------------------------------------------------

    @Test
    void pingGet() throws Exception {
        UnixHttpClient.Response r = http.get("/_ping");
        assertEquals(200, r.status());
        assertEquals("OK", r.text());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals("1", r.header("Builder-Version"));
        assertEquals("inactive", r.header("Swarm"));
        assertEquals("no-cache, no-store, must-revalidate", r.header("Cache-Control"));
        assertEquals("no-cache", r.header("Pragma"));
    }

    @Test
    void pingHeadHasTheHeadersAndNoBody() throws Exception {
        UnixHttpClient.Response r = http.send("HEAD", "/v1.50/_ping");
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
        assertEquals("0", r.header("Content-Length"));
        assertEquals("1", r.header("Builder-Version"));
        assertEquals("inactive", r.header("Swarm"));
        assertEquals("no-cache", r.header("Pragma"));
        assertEquals("1.50", r.header("Api-Version"));
    }

    @Test
    void versionHasDockersShape() throws Exception {
        JsonNode v = http.get("/version").json();
        assertEquals(FakeSystemService.VERSION, v.get("Version").asText());
        assertEquals("1.50", v.get("ApiVersion").asText());
        assertEquals("1.24", v.get("MinAPIVersion").asText());
        assertEquals("linux", v.get("Os").asText());
        assertEquals("amd64", v.get("Arch").asText());
        assertEquals("java17.0.15", v.get("GoVersion").asText());
        assertEquals("Keel Engine", v.at("/Platform/Name").asText());
        JsonNode engine = v.get("Components").get(0);
        assertEquals("Engine", engine.get("Name").asText());
        assertEquals("1.24", engine.at("/Details/MinAPIVersion").asText());
        assertEquals("false", engine.at("/Details/Experimental").asText());
    }

    @Test
    void infoHasEveryKeyTheCliDecodes() throws Exception {
        JsonNode info = http.get("/info").json();
        assertEquals("KEEL:TEST:ID", info.get("ID").asText());
        assertEquals(2, info.get("NCPU").asInt());
        assertEquals("linux", info.get("OSType").asText());
        assertEquals("12", info.get("OSVersion").asText());
        assertEquals("vfs", info.get("Driver").asText());
        assertEquals("Backing Filesystem", info.at("/DriverStatus/0/0").asText());
        assertEquals("inactive", info.at("/Swarm/LocalNodeState").asText());
        assertEquals("https://index.docker.io/v1/", info.get("IndexServerAddress").asText());
        assertTrue(info.at("/RegistryConfig/IndexConfigs/docker.io/Secure").asBoolean());
        assertEquals("keel-native", info.get("DefaultRuntime").asText());
        assertTrue(info.at("/Runtimes/keel-native").isObject());
        assertEquals("", info.get("Isolation").asText());
        assertTrue(info.at("/Plugins/Volume").isArray());
        assertEquals("json-file", info.at("/Plugins/Log/0").asText());
        assertEquals("vfs", info.at("/Plugins/Storage/0").asText());
        // A bare security option gets the name= prefix the CLI's parser requires.
        assertEquals("name=cgroupns", info.at("/SecurityOptions/1").asText());
        for (String key : List.of("Containers", "ContainersRunning", "Images", "MemTotal", "KernelVersion",
                "OperatingSystem", "Architecture", "DockerRootDir", "Name", "Labels", "ServerVersion",
                "LiveRestoreEnabled", "InitBinary", "ContainerdCommit", "RuncCommit", "InitCommit", "CgroupDriver",
                "CgroupVersion", "LoggingDriver", "SystemTime", "HttpProxy", "Warnings", "CDISpecDirs")) {
            assertTrue(info.has(key), key);
        }
        assertFalse(info.has("Id"));
        assertFalse(info.has("Ncpu"));
    }

    // --- images -----------------------------------------------------------------------------------------------

    @Test
    void imageListHasDockersKeysAndNoNulls() throws Exception {
        JsonNode list = http.get("/images/json").json();
        assertEquals(2, list.size());
        JsonNode first = list.get(0);
        assertEquals(FakeImageService.ID, first.get("Id").asText());
        assertEquals("", first.get("ParentId").asText());
        assertEquals("busybox:latest", first.at("/RepoTags/0").asText());
        assertTrue(first.get("Labels").isObject());
        assertEquals(1_700_000_000L, first.get("Created").asLong());
        assertEquals(4_261_574L, first.get("Size").asLong());
        assertTrue(first.has("SharedSize"));
        assertTrue(first.has("Containers"));
        assertFalse(first.has("VirtualSize"));
        JsonNode untagged = list.get(1);
        assertTrue(untagged.get("RepoTags").isArray());
        assertEquals(0, untagged.get("RepoTags").size());
        assertEquals(0, untagged.get("RepoDigests").size());
        assertEquals(Boolean.FALSE, api.images.lastAll);
    }

    @Test
    void imageListForOldClientsHasTheirQuirks() throws Exception {
        JsonNode list = http.get("/v1.41/images/json").json();
        assertEquals("<none>:<none>", list.at("/1/RepoTags/0").asText());
        assertEquals("<none>@<none>", list.at("/1/RepoDigests/0").asText());
        assertEquals(4_261_574L, list.at("/0/VirtualSize").asLong());
    }

    @Test
    void filtersAreReadInBothJsonForms() throws Exception {
        http.get("/images/json?all=1&filters=" + q("{\"dangling\":[\"true\"],\"label\":[\"a=b\",\"c\"]}"));
        assertEquals(Map.of("dangling", List.of("true"), "label", List.of("a=b", "c")), api.images.lastFilters);
        assertEquals(Boolean.TRUE, api.images.lastAll);

        http.get("/images/json?filters=" + q("{\"reference\":{\"busybox:*\":true},\"dangling\":{\"false\":true}}"));
        assertEquals(Map.of("reference", List.of("busybox:*"), "dangling", List.of("false")),
                api.images.lastFilters);

        http.get("/images/json?filters=");
        assertEquals(Map.of(), api.images.lastFilters);

        http.get("/v1.24/images/json?filter=busy*");
        assertEquals(Map.of("reference", List.of("busy*")), api.images.lastFilters);
    }

    @Test
    void malformedFiltersAreABadRequest() throws Exception {
        for (String f : List.of("{", "[\"a\"]", "{\"a\":1}", "{\"a\":[1]}", "{\"a\":{\"b\":\"c\"}}")) {
            UnixHttpClient.Response r = http.get("/images/json?filters=" + q(f));
            assertEquals(400, r.status(), f);
            assertTrue(r.message().startsWith("invalid filter"), r.message());
        }
    }

    @Test
    void badQueryValuesAreABadRequest() throws Exception {
        UnixHttpClient.Response r = http.send("DELETE", "/images/busybox?force=maybe");
        assertEquals(400, r.status());
        assertTrue(r.message().contains("force"), r.message());
        assertEquals(400, http.get("/images/json?all=perhaps").status());
        assertEquals(400, http.send("POST", "/plugins/vfs/enable?timeout=soon").status());
        assertTrue(api.images.calls.isEmpty(), "nothing reached the service: " + api.images.calls);
    }

    @Test
    void imageNamesWithSlashesAndColonsAreMatchedFromTheEnd() throws Exception {
        String name = "registry.example:5000/team/app:1.0";
        UnixHttpClient.Response r = http.get("/v1.50/images/" + name + "/json");
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of("inspect " + name), api.images.calls);

        assertEquals(200, http.get("/images/" + name + "/history").status());
        String digest = "registry.example:5000/team/app@sha256:" + "12".repeat(32);
        assertEquals(200, http.get("/images/" + digest + "/json").status());
        assertEquals("inspect " + digest, api.images.calls.get(2));

        // A name that itself ends in a route word still works: the last segment decides.
        http.get("/images/team/json/json");
        assertEquals("inspect team/json", api.images.calls.get(3));

        assertEquals(201, http.send("POST", "/images/" + name + "/tag?repo=other/app&tag=2").status());
        assertEquals("tag " + name + " other/app 2", api.images.calls.get(4));

        UnixHttpClient.Response del = http.send("DELETE", "/images/" + name + "?force=1&noprune=true");
        assertEquals(200, del.status());
        assertEquals("remove " + name + " force=true noprune=true", api.images.calls.get(5));
        assertEquals(name, del.json().at("/0/Untagged").asText());
        assertFalse(del.json().get(0).has("Deleted"), "omitempty: " + del.text());
        assertEquals(FakeImageService.ID, del.json().at("/1/Deleted").asText());
    }

    @Test
    void imageInspectHasDockersShape() throws Exception {
        JsonNode d = http.get("/images/busybox/json").json();
        assertEquals(FakeImageService.ID, d.get("Id").asText());
        assertTrue(d.get("RepoDigests").isArray());
        for (String key : List.of("Parent", "Comment", "DockerVersion", "Author")) {
            assertEquals("", d.get(key).asText(), key);
        }
        assertFalse(d.has("Variant"));
        assertFalse(d.has("OsVersion"));
        assertEquals("2023-11-14T22:13:20.000000000Z", d.get("Created").asText());
        assertEquals("layers", d.at("/RootFS/Type").asText());
        assertEquals(FakeImageService.DIFF_ID, d.at("/RootFS/Layers/0").asText());
        assertEquals("vfs", d.at("/GraphDriver/Name").asText());
        assertTrue(d.at("/GraphDriver/Data").isObject());
        assertEquals("0001-01-01T00:00:00Z", d.at("/Metadata/LastTagTime").asText());
        JsonNode config = d.get("Config");
        assertEquals("sh", config.at("/Cmd/0").asText());
        assertEquals("PATH=/usr/bin:/bin", config.at("/Env/0").asText());
        assertEquals("yes", config.at("/Labels/org.example").asText());
        assertFalse(config.has("Hostname"), "unset config fields are omitted: " + config);
        assertFalse(config.has("Entrypoint"));
    }

    @Test
    void historyHasDockersShape() throws Exception {
        JsonNode h = http.get("/images/busybox/history").json();
        assertEquals(FakeImageService.ID, h.at("/0/Id").asText());
        assertEquals("", h.at("/0/Comment").asText());
        assertEquals("<missing>", h.at("/1/Id").asText());
        assertEquals(1_699_999_000L, h.at("/1/Created").asLong());
        assertTrue(h.at("/1/CreatedBy").asText().contains("ADD file"));
    }

    @Test
    void tagNeedsARepositoryAndSplitsAnInlineTag() throws Exception {
        UnixHttpClient.Response r = http.send("POST", "/images/busybox/tag");
        assertEquals(400, r.status());
        assertEquals(201, http.send("POST", "/images/busybox/tag?repo=" + q("localhost:5000/x:v2")).status());
        assertEquals("tag busybox localhost:5000/x v2", api.images.calls.get(0));
        assertEquals(201, http.send("POST", "/images/busybox/tag?repo=" + q("localhost:5000/x")).status());
        assertEquals("tag busybox localhost:5000/x ", api.images.calls.get(1));
    }

    @Test
    void engineErrorsMapToDockersStatuses() throws Exception {
        Map<String, Integer> expected = Map.of("fail-invalid-parameter", 400, "fail-forbidden", 403,
                "fail-not-found", 404, "fail-conflict", 409, "fail-not-implemented", 501, "fail-unavailable", 503,
                "fail-system", 500);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            UnixHttpClient.Response r = http.get("/images/" + e.getKey() + "/json");
            assertEquals(e.getValue(), r.status(), e.getKey());
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals("failing as asked: " + e.getKey(), r.message());
        }
        UnixHttpClient.Response notModified = http.get("/images/fail-not-modified/json");
        assertEquals(304, notModified.status());
        assertEquals(0, notModified.body().length);

        UnixHttpClient.Response unknown = http.get("/images/nothing-here/json");
        assertEquals(404, unknown.status());
        assertEquals("No such image: nothing-here", unknown.message());
    }

    @Test
    void unexpectedExceptionsAre500WithTheirMessage() throws Exception {
        UnixHttpClient.Response r = http.get("/images/boom/json");
        assertEquals(500, r.status());
        assertEquals("unexpected breakage", r.message());
        // The server is still fine.
        assertEquals(200, http.get("/_ping").status());
    }

    @Test
    void pruneReportsWhatWasDeleted() throws Exception {
        UnixHttpClient.Response r = http.send("POST", "/images/prune?filters=" + q("{\"dangling\":[\"false\"]}"));
        assertEquals(200, r.status());
        assertEquals(1000, r.json().get("SpaceReclaimed").asLong());
        assertEquals("sha256:" + "99".repeat(32), r.json().at("/ImagesDeleted/0/Deleted").asText());
        assertEquals(Map.of("dangling", List.of("false")), api.images.lastFilters);
    }

    // --- load: a streamed body in, a JSON message stream out --------------------------------------------------

    @Test
    void loadStreamsProgressAsItHappensFramedByCrLf() throws Exception {
        CountDownLatch clientSawFirst = new CountDownLatch(1);
        api.images.load = (in, progress) -> {
            progress.progress("abcd1234abcd", "Loading layer", 1_200_000, 3_400_000);
            // Blocks until the client has read the first message: proves it was flushed, not buffered.
            try {
                if (!clientSawFirst.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the first progress message never reached the client");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            api.images.lastBodyBytes = FakeImageService.drain(in);
            progress.progress("abcd1234abcd", "Loading layer", 3_400_000, 3_400_000);
            progress.message("Loaded image: busybox:latest");
            return List.of("Loaded image: busybox:latest", "Loaded image: other:1");
        };
        byte[] archive = new byte[300_000];
        try (UnixHttpClient.Exchange x = http.open("POST", "/v1.50/images/load?quiet=0",
                Map.of("Content-Type", "application/x-tar"), (long) archive.length)) {
            // The body goes from another thread: the service reads it only after the client saw the first message.
            Thread writer = new Thread(() -> {
                try {
                    x.out.write(archive);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            x.readHead();
            assertEquals(200, x.status);
            assertEquals("application/json", x.header("Content-Type"));
            assertEquals("chunked", x.header("Transfer-Encoding"));
            String first = x.bodyLine();
            clientSawFirst.countDown();
            assertTrue(first.endsWith("\r"), "each message ends with CRLF");
            JsonNode m = JSON.readTree(first);
            assertEquals("Loading layer", m.get("status").asText());
            assertEquals(1_200_000, m.at("/progressDetail/current").asLong());
            assertEquals(3_400_000, m.at("/progressDetail/total").asLong());
            assertEquals("abcd1234abcd", m.get("id").asText());
            assertTrue(m.get("progress").asText().matches("\\[=+> +\\] +1\\.2MB/3\\.4MB"), m.toString());
            List<JsonNode> rest = new ArrayList<>();
            String line;
            while ((line = x.bodyLine()) != null) {
                rest.add(JSON.readTree(line));
            }
            writer.join();
            assertEquals(3, rest.size(), rest.toString());
            assertEquals(3_400_000, rest.get(0).at("/progressDetail/current").asLong());
            assertEquals("Loaded image: busybox:latest\n", rest.get(1).get("stream").asText());
            // A line the service both sent and returned is not repeated; one only returned is added.
            assertEquals("Loaded image: other:1\n", rest.get(2).get("stream").asText());
            // One chunk per message: each was flushed on its own.
            for (byte[] chunk : x.chunks) {
                String c = new String(chunk, StandardCharsets.UTF_8);
                assertTrue(c.endsWith("}\r\n") && c.indexOf("\r\n") == c.length() - 2, c);
            }
        }
        assertEquals(archive.length, api.images.lastBodyBytes);
    }

    @Test
    void quietLoadSendsOnlyTheFinalLines() throws Exception {
        api.images.load = (in, progress) -> {
            FakeImageService.drain(in);
            progress.progress("abcd1234abcd", "Loading layer", 10, 100);
            return List.of("Loaded image: busybox:latest");
        };
        for (String target : List.of("/images/load?quiet=1", "/images/load")) {
            UnixHttpClient.Response r = http.send("POST", target, Map.of(), "tar".getBytes());
            assertEquals(200, r.status());
            assertEquals("{\"stream\":\"Loaded image: busybox:latest\\n\"}\r\n", r.text(), target);
        }
    }

    @Test
    void loadErrorAfterTheStreamStartedIsAnErrorMessage() throws Exception {
        api.images.load = (in, progress) -> {
            progress.progress("abcd1234abcd", "Loading layer", 512, 1024);
            throw EngineException.invalid("layer abcd1234abcd: unexpected end of archive");
        };
        UnixHttpClient.Response r = http.send("POST", "/images/load?quiet=0", Map.of(), "tar".getBytes());
        assertEquals(200, r.status());
        String[] lines = r.text().split("\r\n");
        assertEquals(2, lines.length, r.text());
        JsonNode err = JSON.readTree(lines[1]);
        assertEquals("layer abcd1234abcd: unexpected end of archive", err.at("/errorDetail/message").asText());
        assertEquals("layer abcd1234abcd: unexpected end of archive", err.get("error").asText());
    }

    @Test
    void loadErrorBeforeAnyOutputIsAnOrdinaryError() throws Exception {
        api.images.load = (in, progress) -> {
            throw EngineException.invalid("not a docker archive: no manifest.json or index.json");
        };
        UnixHttpClient.Response r = http.send("POST", "/images/load", Map.of(), "junk".getBytes());
        assertEquals(400, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("not a docker archive: no manifest.json or index.json", r.message());
    }

    @Test
    void loadReadsAChunkedBodyAsAStream() throws Exception {
        byte[] piece = new byte[1 << 16];
        int pieces = 64; // 4 MiB in 64 chunks
        try (UnixHttpClient.Exchange x = http.open("POST", "/images/load", Map.of(), null)) {
            for (int i = 0; i < pieces; i++) {
                x.out.write(piece);
            }
            x.out.close();
            x.readHead();
            assertEquals(200, x.status);
            assertEquals("Loaded image: busybox:latest\n", JSON.readTree(x.bodyLine()).get("stream").asText());
        }
        assertEquals((long) piece.length * pieces, api.images.lastBodyBytes);
    }

    // --- save -----------------------------------------------------------------------------------------------

    @Test
    void saveStreamsTheTar() throws Exception {
        int size = 8 << 20;
        api.images.save = (names, out) -> {
            byte[] block = new byte[4096];
            for (int written = 0; written < size; written += block.length) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) ((written + i) % 251);
                }
                out.write(block);
            }
        };
        UnixHttpClient.Response r = http.get("/images/get?names=busybox&names=" + q("registry.example:5000/team/app:1.0"));
        assertEquals(200, r.status());
        assertEquals("application/x-tar", r.header("Content-Type"));
        assertEquals(size, r.body().length);
        for (int i = 0; i < size; i += 1021) {
            assertEquals((byte) (i % 251), r.body()[i]);
        }
        assertTrue(r.chunks().size() > 1, "streamed in chunks, not buffered whole");
        assertEquals("save [busybox, registry.example:5000/team/app:1.0]", api.images.calls.get(0));

        api.images.save = (names, out) -> out.write("x".getBytes());
        UnixHttpClient.Response one = http.get("/v1.50/images/team/app:1.0/get");
        assertEquals(200, one.status());
        assertArrayEquals("x".getBytes(), one.body());
        assertEquals("save [team/app:1.0]", api.images.calls.get(1));
    }

    @Test
    void saveErrorBeforeOutputIsAnOrdinaryError() throws Exception {
        UnixHttpClient.Response r = http.get("/images/fail-not-found/get");
        assertEquals(404, r.status());
        assertEquals("failing as asked: fail-not-found", r.message());
        assertEquals(400, http.get("/images/get").status());
    }

    @Test
    void saveErrorAfterOutputAbortsTheTransfer() throws Exception {
        api.images.save = (names, out) -> {
            out.write(new byte[1 << 20]);
            out.flush();
            throw new IOException("disk on fire");
        };
        // The client must not get a clean end of body: either the chunked stream is cut or the read fails.
        assertThrows(IOException.class, () -> http.get("/images/get?names=busybox"));
        assertEquals(200, http.get("/_ping").status());
    }

    // --- import -------------------------------------------------------------------------------------------

    @Test
    void importReadsTheBodyAndEndsWithTheImageId() throws Exception {
        byte[] rootfs = new byte[100_000];
        UnixHttpClient.Response r = http.send("POST", "/v1.50/images/create?fromSrc=-&repo=" + q("example/app:1.0")
                + "&changes=" + q("CMD [\"sh\"]") + "&changes=" + q("ENV A=b") + "&platform=linux/amd64",
                Map.of("Content-Type", "application/x-tar"), rootfs);
        assertEquals(200, r.status(), r.text());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("{\"status\":\"sha256:" + "ef".repeat(32) + "\"}\r\n", r.text());
        ImportOptions o = api.images.lastImport;
        assertEquals("example/app", o.repository());
        assertEquals("1.0", o.tag());
        assertEquals(List.of("CMD [\"sh\"]", "ENV A=b"), o.changes());
        assertEquals("Imported from -", o.message());
        assertEquals("linux/amd64", o.platform());
        assertEquals(rootfs.length, api.images.lastBodyBytes);

        http.send("POST", "/images/create?fromSrc=-&message=hello", Map.of(), new byte[10]);
        assertNull(api.images.lastImport.repository());
        assertEquals("hello", api.images.lastImport.message());
    }

    @Test
    void pullAndUrlImportAreNotImplementedYet() throws Exception {
        UnixHttpClient.Response pull = http.send("POST", "/images/create?fromImage=busybox&tag=latest");
        assertEquals(501, pull.status());
        assertTrue(pull.message().contains("pulling from a registry is not supported yet"), pull.message());
        UnixHttpClient.Response url = http.send("POST", "/images/create?fromSrc=" + q("http://example.com/x.tar"));
        assertEquals(501, url.status());
        assertEquals(400, http.send("POST", "/images/create").status());
    }

    @Test
    void importErrorBeforeOutputIsAnOrdinaryError() throws Exception {
        api.images.importer = (in, options, p) -> {
            throw EngineException.invalid("not a tar archive");
        };
        UnixHttpClient.Response r = http.send("POST", "/images/create?fromSrc=-", Map.of(), new byte[10]);
        assertEquals(400, r.status());
        assertEquals("not a tar archive", r.message());
    }

    // --- plugins -------------------------------------------------------------------------------------------

    @Test
    void pluginListAndInspectHaveDockersShape() throws Exception {
        JsonNode list = http.get("/plugins").json();
        assertEquals(1, list.size());
        JsonNode p = list.get(0);
        assertEquals(64, p.get("Id").asText().length());
        assertEquals("vfs:latest", p.get("Name").asText());
        assertTrue(p.get("Enabled").asBoolean());
        assertTrue(p.at("/Settings/Mounts").isArray());
        assertTrue(p.at("/Settings/Env").isArray());
        assertTrue(p.at("/Settings/Args").isArray());
        assertTrue(p.at("/Settings/Devices").isArray());
        assertEquals("keel.storagedriver/1.0", p.at("/Config/Interface/Types/0").asText());
        assertTrue(p.at("/Config/Description").asText().contains("keel.storage.vfs"));
        assertTrue(p.at("/Config/Linux/Capabilities").isArray());
        assertEquals("", p.at("/Config/Network/Type").asText());
        assertTrue(p.at("/Config/Args/Value").isArray());
        assertEquals("storage:vfs", p.at("/Bundle/Drivers/0").asText());

        for (String name : List.of("vfs", "vfs:latest", p.get("Id").asText().substring(0, 12))) {
            UnixHttpClient.Response r = http.get("/plugins/" + name + "/json");
            assertEquals(200, r.status(), name);
            assertEquals("vfs:latest", r.json().get("Name").asText());
        }
        assertEquals(404, http.get("/plugins/nope/json").status());
    }

    @Test
    void pluginListFilters() throws Exception {
        assertEquals(1, http.get("/plugins?filters=" + q("{\"enabled\":{\"true\":true}}")).json().size());
        assertEquals(0, http.get("/plugins?filters=" + q("{\"enabled\":[\"false\"]}")).json().size());
        assertEquals(1, http.get("/plugins?filters=" + q("{\"capability\":[\"storagedriver\"]}")).json().size());
        assertEquals(0, http.get("/plugins?filters=" + q("{\"capability\":[\"volumedriver\"]}")).json().size());
        assertEquals(400, http.get("/plugins?filters=" + q("{\"color\":[\"red\"]}")).status());
        assertEquals(400, http.get("/plugins?filters=" + q("{\"enabled\":[\"maybe\"]}")).status());
    }

    @Test
    void pluginCreateTakesAJarOrATarAndStripsTheTag() throws Exception {
        byte[] jar = {'P', 'K', 3, 4, 1, 2, 3};
        UnixHttpClient.Response r = http.send("POST", "/plugins/create?name=zfs:latest",
                Map.of("Content-Type", "application/x-tar"), jar);
        assertEquals(204, r.status(), r.text());
        assertArrayEquals(jar, api.plugins.installed.get("zfs"));

        // What `docker plugin create --compress` sends: a gzip'd tar; the service gets the tar.
        byte[] tar = "a tar holding zfs.jar".getBytes();
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(tar);
        }
        assertEquals(204, http.send("POST", "/plugins/create?name=btrfs", Map.of(), gz.toByteArray()).status());
        assertArrayEquals(tar, api.plugins.installed.get("btrfs"));

        assertEquals(409, http.send("POST", "/plugins/create?name=zfs", Map.of(), jar).status());
        assertEquals(400, http.send("POST", "/plugins/create", Map.of(), jar).status());
        assertEquals(400, http.send("POST", "/plugins/create?name=empty", Map.of(), new byte[0]).status());
    }

    @Test
    void pluginEnableDisableRemove() throws Exception {
        assertEquals(409, http.send("DELETE", "/plugins/vfs").status());
        assertEquals(200, http.send("POST", "/plugins/vfs:latest/disable").status());
        assertFalse(api.plugins.plugins.get("vfs").enabled());
        assertEquals(200, http.send("POST", "/plugins/vfs/enable?timeout=30").status());
        assertTrue(api.plugins.plugins.get("vfs").enabled());
        UnixHttpClient.Response r = http.send("DELETE", "/plugins/vfs?force=1");
        assertEquals(200, r.status());
        assertEquals("vfs", r.json().get("Name").asText());
        assertEquals("storage:vfs", r.json().at("/DriversRemoved/0").asText());
        assertTrue(r.json().at("/DataKept/0").asText().contains("remain"));
        List<String> warnings = r.headerValues("Warning");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("299 - \"layers of storage driver vfs remain"), warnings.get(0));
        assertEquals(404, http.get("/plugins/vfs/json").status());
    }

    // --- services coming and going ---------------------------------------------------------------------------

    @Test
    void missingServicesAnswer503WhilePingKeepsWorking() throws Exception {
        api.imagesRef.set(null);
        api.pluginsRef.set(null);
        UnixHttpClient.Response images = http.get("/images/json");
        assertEquals(503, images.status());
        assertTrue(images.message().contains("image service is not running"), images.message());
        UnixHttpClient.Response load = http.send("POST", "/images/load", Map.of(), new byte[100]);
        assertEquals(503, load.status());
        assertEquals(503, http.get("/plugins").status());
        assertEquals(200, http.get("/_ping").status());
        assertEquals(200, http.get("/version").status());

        api.imagesRef.set(api.images);
        assertEquals(200, http.get("/images/json").status());
    }

    @Test
    void malformedQueryEncodingIsABadRequest() throws Exception {
        UnixHttpClient.Response r = http.get("/images/json?filters=%zz");
        assertEquals(400, r.status());
        assertEquals("application/json", r.header("Content-Type"));
    }

    @Test
    void requestsJettyRefusesGetDockersErrorShapeToo() throws Exception {
        // An encoded slash is ambiguous in a path: Jetty refuses it before the API sees it.
        UnixHttpClient.Response r = http.get("/images/a%2Fb/json");
        assertEquals(400, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("1.50", r.header("Api-Version"));
        assertFalse(r.message().isEmpty());

        UnixHttpClient.Response big = http.send("GET", "/_ping", Map.of("X-Big", "a".repeat(20_000)), null);
        assertEquals(431, big.status());
        assertEquals("application/json", big.header("Content-Type"));
        assertFalse(big.message().isEmpty());
    }
}
