package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.HostConfig;

/**
 * The container and exec endpoints over a real Unix socket with a fake engine: Docker's JSON, statuses, the early
 * headers of wait, and the hijacked attach/exec streams with their framing and half-close.
 */
class ContainerApiOverSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Map<String, String> UPGRADE = Map.of("Upgrade", "tcp", "Connection", "Upgrade");

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

    private String create(String name, String body) throws IOException {
        UnixHttpClient.Response r = http.send("POST", "/v1.50/containers/create?name=" + name,
                Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.status(), r.text());
        return r.json().get("Id").asText();
    }

    private String run(String name, String body) throws IOException {
        String id = create(name, body);
        assertEquals(204, http.send("POST", "/containers/" + name + "/start").status());
        return id;
    }

    record Frame(int stream, String text) {}

    /** Docker's stream framing until EOF: [stream, 0, 0, 0, size big-endian] + bytes. */
    private static List<Frame> frames(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        List<Frame> out = new ArrayList<>();
        byte[] header = new byte[8];
        while (true) {
            int first = d.read();
            if (first < 0) {
                return out;
            }
            header[0] = (byte) first;
            d.readFully(header, 1, 7);
            assertEquals(0, header[1] | header[2] | header[3], "reserved header bytes");
            int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                    | (header[7] & 0xff);
            byte[] b = new byte[size];
            d.readFully(b);
            out.add(new Frame(header[0], new String(b, StandardCharsets.UTF_8)));
        }
    }

    private static String joined(List<Frame> frames, int stream) {
        StringBuilder s = new StringBuilder();
        frames.stream().filter(f -> f.stream() == stream).forEach(f -> s.append(f.text()));
        return s.toString();
    }

    // --- create --------------------------------------------------------------------------------------------------

    /** The body `docker run` 28 sends, with options of every kind. */
    static final String CLI_BODY = """
            {"Hostname":"","Domainname":"","User":"1000:1000","AttachStdin":true,"AttachStdout":true,
             "AttachStderr":true,"ExposedPorts":{"80/tcp":{}},"Tty":false,"OpenStdin":true,"StdinOnce":true,
             "Env":["A=1","B=two"],"Cmd":["cat"],"Image":"busybox","Volumes":{"/data":{}},"WorkingDir":"/w",
             "Entrypoint":null,"OnBuild":null,"Labels":{"app":"web"},"StopSignal":"SIGINT","StopTimeout":5,
             "Healthcheck":{"Test":["CMD","true"],"Interval":30000000000,"Retries":3},
             "HostConfig":{"Binds":["/srv:/srv:ro"],"ContainerIDFile":"","LogConfig":{"Type":"json-file",
               "Config":{"max-size":"10m"}},"NetworkMode":"bridge","PortBindings":{"80/tcp":[{"HostIp":"",
               "HostPort":"8080"}]},"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"AutoRemove":true,
               "VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[24,80],"CapAdd":["NET_ADMIN"],
               "CapDrop":["MKNOD"],"CgroupnsMode":"private","Dns":["9.9.9.9"],"DnsOptions":["ndots:2"],
               "DnsSearch":["example.org"],"ExtraHosts":["db:10.0.0.5"],"GroupAdd":null,"IpcMode":"private",
               "Cgroup":"","Links":null,"OomScoreAdj":-500,"PidMode":"host","Privileged":false,
               "PublishAllPorts":false,"ReadonlyRootfs":true,"SecurityOpt":["no-new-privileges"],
               "Tmpfs":{"/run":"rw,size=64m"},"UTSMode":"host","UsernsMode":"","ShmSize":67108864,
               "Sysctls":{"net.ipv4.ip_forward":"1"},"Isolation":"","CpuShares":512,"Memory":268435456,
               "NanoCpus":1500000000,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],
               "CpuPeriod":0,"CpuQuota":0,"CpuRealtimePeriod":0,"CpusetCpus":"0-1","CpusetMems":"",
               "Devices":[{"PathOnHost":"/dev/fuse","PathInContainer":"/dev/fuse","CgroupPermissions":"rwm"}],
               "DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":-1,
               "MemorySwappiness":null,"OomKillDisable":true,"PidsLimit":100,
               "Ulimits":[{"Name":"nofile","Hard":2048,"Soft":1024}],"CpuCount":0,"CpuPercent":0,
               "IOMaximumIOps":0,"IOMaximumBandwidth":0,
               "Mounts":[{"Type":"tmpfs","Target":"/cache","TmpfsOptions":{"SizeBytes":1048576,"Mode":448}},
                         {"Type":"bind","Source":"/etc","Target":"/host-etc","ReadOnly":true,
                          "BindOptions":{"Propagation":"rprivate"}}],
               "MaskedPaths":null,"ReadonlyPaths":null,"Init":true,"SomethingNewer":{"x":1}},
             "NetworkingConfig":{"EndpointsConfig":{"bridge":{"IPAMConfig":{"IPv4Address":"172.17.0.9"},
               "Aliases":["web"],"MacAddress":"02:42:ac:11:00:09","DriverOpts":null}}},
             "AFieldFromTheFuture":true}
            """;

    @Test
    void createMapsTheCliBodyOntoTheRecords() throws Exception {
        UnixHttpClient.Response r = http.send("POST", "/v1.50/containers/create?name=web",
                Map.of("Content-Type", "application/json"), CLI_BODY.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.status(), r.text());
        assertEquals(List.of("Id", "Warnings"), names(r.json()));
        assertEquals(64, r.json().get("Id").asText().length());
        assertTrue(r.json().get("Warnings").isArray() && r.json().get("Warnings").isEmpty(), r.text());
        assertEquals("web", api.containers.lastCreateName);

        CreateRequest c = api.containers.lastCreate;
        assertEquals("1000:1000", c.config().user());
        assertEquals(List.of("cat"), c.config().cmd());
        assertEquals(List.of("A=1", "B=two"), c.config().env());
        assertEquals(Boolean.TRUE, c.config().openStdin());
        assertEquals(Boolean.TRUE, c.config().stdinOnce());
        assertEquals("busybox", c.config().image());
        assertEquals(Map.of("80/tcp", Map.of()), c.config().exposedPorts());
        assertEquals(5, c.config().stopTimeout());
        assertEquals("SIGINT", c.config().stopSignal());
        assertEquals(30_000_000_000L, c.config().healthcheck().interval());
        assertNull(c.config().entrypoint());

        HostConfig h = c.hostConfig();
        assertEquals(List.of("/srv:/srv:ro"), h.binds());
        assertEquals(268435456L, h.memory());
        assertEquals(-1L, h.memorySwap());
        assertEquals(1_500_000_000L, h.nanoCpus());
        assertEquals(512L, h.cpuShares());
        assertEquals(List.of(new HostConfig.Ulimit("nofile", 1024, 2048)), h.ulimits());
        assertEquals(List.of("NET_ADMIN"), h.capAdd());
        assertEquals(List.of("MKNOD"), h.capDrop());
        assertEquals(new HostConfig.LogConfig("json-file", Map.of("max-size", "10m")), h.logConfig());
        assertEquals(Boolean.TRUE, h.autoRemove());
        assertEquals(Boolean.TRUE, h.init());
        assertEquals(Map.of("/run", "rw,size=64m"), h.tmpfs());
        assertEquals(List.of(new HostConfig.PortBinding("", "8080")), h.portBindings().get("80/tcp"));
        assertEquals(new HostConfig.RestartPolicy("on-failure", 3), h.restartPolicy());
        assertEquals(List.of(24, 80), h.consoleSize());
        assertEquals(List.of("9.9.9.9"), h.dns());
        assertEquals(List.of("ndots:2"), h.dnsOptions());
        assertEquals(List.of("example.org"), h.dnsSearch());
        assertEquals(List.of("db:10.0.0.5"), h.extraHosts());
        assertEquals("private", h.ipcMode());
        assertEquals("host", h.pidMode());
        assertEquals("host", h.utsMode());
        assertEquals(-500, h.oomScoreAdj());
        assertEquals(Boolean.TRUE, h.readonlyRootfs());
        assertEquals(67108864L, h.shmSize());
        assertEquals(Boolean.TRUE, h.oomKillDisable());
        assertEquals(100L, h.pidsLimit());
        assertNull(h.memorySwappiness());
        assertEquals("0-1", h.cpusetCpus());
        assertEquals(Map.of("net.ipv4.ip_forward", "1"), h.sysctls());
        assertEquals(new HostConfig.DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"), h.devices().get(0));
        assertEquals(2, h.mounts().size());
        assertEquals(1048576L, h.mounts().get(0).tmpfsOptions().sizeBytes());
        assertEquals(448, h.mounts().get(0).tmpfsOptions().mode());
        assertEquals("rprivate", h.mounts().get(1).bindOptions().propagation());
        assertEquals(Boolean.TRUE, h.mounts().get(1).readOnly());

        var ep = c.networkingConfig().endpointsConfig().get("bridge");
        assertEquals("172.17.0.9", ep.ipamConfig().ipv4Address());
        assertEquals(List.of("web"), ep.aliases());
        assertEquals("02:42:ac:11:00:09", ep.macAddress());
    }

    @Test
    void createReadsKeysAsGoDoesAndRefusesWhatGoRefuses() throws Exception {
        // Go's decoder matches keys case-insensitively and takes a string for Docker's StrSlice.
        create("lower", "{\"image\":\"busybox\",\"cmd\":\"echo hi\",\"hostconfig\":{\"memory\":1048576}}");
        assertEquals(List.of("echo hi"), api.containers.lastCreate.config().cmd());
        assertEquals(1048576L, api.containers.lastCreate.hostConfig().memory());
        create("bare", "{\"Image\":\"busybox\"}");
        assertEquals(HostConfig.EMPTY, api.containers.lastCreate.hostConfig());
        // The engine's warnings are passed on.
        UnixHttpClient.Response warned = http.send("POST", "/containers/create",
                Map.of("Content-Type", "application/json"),
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":1024}}".getBytes(StandardCharsets.UTF_8));
        assertEquals("Minimum memory limit allowed is 6MB", warned.json().at("/Warnings/0").asText());
        assertNull(api.containers.lastCreateName);

        Map<String, String> bad = Map.of(
                "{\"Image\":", "invalid JSON",
                "[1,2]", "must be a JSON object",
                "", "config cannot be empty in order to create a container",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":\"1g\"}}", "invalid JSON",
                "{\"Image\":\"busybox\",\"Tty\":\"yes\"}", "invalid JSON",
                "{\"Image\":\"busybox\"}{\"Image\":\"x\"}", "invalid JSON",
                "{\"Image\":\"busybox\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/v\","
                        + "\"BindOptions\":{\"Propagation\":\"shared\"}}]}}",
                "BindOptions must not be specified on mount type \"volume\"");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            UnixHttpClient.Response r = http.send("POST", "/containers/create",
                    Map.of("Content-Type", "application/json"), e.getKey().getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.status(), e.getKey());
            assertTrue(r.message().contains(e.getValue()), e.getKey() + " -> " + r.message());
        }
        UnixHttpClient.Response plain = http.send("POST", "/containers/create", Map.of("Content-Type", "text/plain"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, plain.status());
        assertEquals("unsupported Content-Type header (text/plain): must be 'application/json'", plain.message());
        UnixHttpClient.Response two = http.send("POST", "/v1.43/containers/create",
                Map.of("Content-Type", "application/json"), ("{\"Image\":\"b\",\"NetworkingConfig\":"
                        + "{\"EndpointsConfig\":{\"a\":{},\"b\":{}}}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(400, two.status());
        assertTrue(two.message().contains("multiple network endpoints"), two.message());
        UnixHttpClient.Response taken = http.send("POST", "/containers/create?name=lower",
                Map.of("Content-Type", "application/json"), "{\"Image\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(409, taken.status());
        assertEquals(400, http.send("POST", "/containers/create?platform=linux/amd64/v2/x",
                Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)).status());
    }

    // --- list and inspect --------------------------------------------------------------------------------------

    @Test
    void listRowsHaveDockersKeys() throws Exception {
        run("web", "{\"Image\":\"nginx\",\"Cmd\":[\"sleep\"]}");
        create("idle", "{\"Image\":\"busybox\"}");
        UnixHttpClient.Response r = http.get("/containers/json?all=1&limit=0&filters="
                + java.net.URLEncoder.encode("{\"label\":{\"app=web\":true}}", StandardCharsets.UTF_8));
        assertEquals(200, r.status());
        assertEquals("list all=true limit=-1 size=false", api.containers.calls.get(api.containers.calls.size() - 1));
        assertEquals(Map.of("label", List.of("app=web")), api.containers.lastFilters);
        JsonNode rows = r.json();
        assertEquals(2, rows.size());
        JsonNode row = rows.get(0);
        assertEquals(List.of("Id", "Names", "Image", "ImageID", "Command", "Created", "Ports", "Labels", "State",
                "Status", "HostConfig", "NetworkSettings", "Mounts"), names(row));
        assertEquals("/web", row.at("/Names/0").asText());
        assertEquals("running", row.get("State").asText());
        assertEquals("Up 3 seconds", row.get("Status").asText());
        assertEquals(List.of("IP", "PrivatePort", "PublicPort", "Type"), names(row.at("/Ports/0")));
        assertEquals(List.of("PrivatePort", "Type"), names(row.at("/Ports/1")));
        assertEquals("{\"NetworkMode\":\"bridge\"}", row.get("HostConfig").toString());
        JsonNode ep = row.at("/NetworkSettings/Networks/bridge");
        assertEquals(java.util.Set.of("IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "NetworkID",
                "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address",
                "GlobalIPv6PrefixLen", "DNSNames", "GwPriority"), new java.util.HashSet<>(names(ep)));
        assertEquals("172.17.0.2", ep.get("IPAddress").asText());
        assertTrue(row.get("Mounts").isArray());
        assertFalse(row.has("SizeRw"));
        assertTrue(http.get("/containers/json?size=1").json().get(0).has("SizeRootFs"));
        assertEquals(1, http.get("/containers/json").json().size(), "only running containers by default");
        assertEquals(400, http.get("/containers/json?limit=x").status());
    }

    @Test
    void inspectHasDockersKeysAndGoZeroValues() throws Exception {
        String id = run("web", "{\"Image\":\"nginx\",\"Cmd\":[\"sleep\",\"1000\"],"
                + "\"HostConfig\":{\"UTSMode\":\"host\",\"OomKillDisable\":false}}");
        JsonNode d = http.get("/v1.50/containers/web/json").json();
        assertEquals(id, d.get("Id").asText());
        assertEquals("/web", d.get("Name").asText());
        assertEquals("sleep", d.get("Path").asText());
        assertEquals("[\"1000\"]", d.get("Args").toString());
        assertEquals(List.of("Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode",
                "Error", "StartedAt", "FinishedAt"), names(d.get("State")));
        assertTrue(d.at("/State/Running").asBoolean());
        assertFalse(d.has("SizeRw"));
        assertTrue(d.get("ExecIDs").isNull());
        JsonNode h = d.get("HostConfig");
        for (String key : List.of("Binds", "ContainerIDFile", "LogConfig", "NetworkMode", "PortBindings",
                "RestartPolicy", "AutoRemove", "VolumeDriver", "VolumesFrom", "ConsoleSize", "CapAdd", "CapDrop",
                "CgroupnsMode", "Dns", "DnsOptions", "DnsSearch", "ExtraHosts", "GroupAdd", "IpcMode", "Cgroup",
                "Links", "OomScoreAdj", "PidMode", "Privileged", "PublishAllPorts", "ReadonlyRootfs", "SecurityOpt",
                "UTSMode", "UsernsMode", "ShmSize", "Isolation", "CpuShares", "Memory", "NanoCpus", "CgroupParent",
                "BlkioWeight", "BlkioWeightDevice", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod",
                "CpuRealtimeRuntime", "CpusetCpus", "CpusetMems", "Devices", "DeviceCgroupRules", "DeviceRequests",
                "MemoryReservation", "MemorySwap", "MemorySwappiness", "OomKillDisable", "PidsLimit", "Ulimits",
                "CpuCount", "CpuPercent", "IOMaximumIOps", "IOMaximumBandwidth", "MaskedPaths", "ReadonlyPaths")) {
            assertTrue(h.has(key), key + " in " + h);
        }
        for (String omitted : List.of("StorageOpt", "Tmpfs", "Sysctls", "Runtime", "Mounts", "Init", "UtsMode")) {
            assertFalse(h.has(omitted), omitted + " in " + h);
        }
        assertEquals("host", h.get("UTSMode").asText());
        assertEquals("", h.get("NetworkMode").asText());
        assertEquals(0, h.get("Memory").asLong());
        assertEquals("[0,0]", h.get("ConsoleSize").toString());
        assertFalse(h.get("OomKillDisable").asBoolean());
        assertTrue(h.get("PidsLimit").isNull());
        JsonNode c = d.get("Config");
        assertEquals("", c.get("User").asText());
        assertTrue(c.get("Env").isNull());
        assertFalse(c.get("Tty").asBoolean());
        assertFalse(c.has("StopSignal"));
        assertEquals(List.of("Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"),
                names(d.at("/Mounts/0")));
        JsonNode ns = d.get("NetworkSettings");
        assertEquals("172.17.0.2", ns.get("IPAddress").asText());
        assertEquals(16, ns.get("IPPrefixLen").asInt());
        assertEquals("02:42:ac:11:00:02", ns.get("MacAddress").asText());
        assertEquals("8080", ns.at("/Ports/80~1tcp/0/HostPort").asText());
        assertEquals("172.17.0.1", ns.at("/Networks/bridge/Gateway").asText());
        assertEquals("vfs", d.at("/GraphDriver/Name").asText());

        JsonNode sized = http.get("/containers/" + id.substring(0, 10) + "/json?size=1").json();
        assertEquals(12, sized.get("SizeRw").asLong());
        assertEquals(4_300_000, sized.get("SizeRootFs").asLong());

        UnixHttpClient.Response missing = http.get("/containers/nope/json");
        assertEquals(404, missing.status());
        assertEquals("No such container: nope", missing.message());
    }

    // --- life cycle ----------------------------------------------------------------------------------------------

    @Test
    void lifeCycleAnswersWithDockersStatuses() throws Exception {
        create("web", "{\"Image\":\"nginx\",\"Cmd\":[\"sleep\"]}");
        assertEquals(204, http.send("POST", "/v1.50/containers/web/start").status());
        assertEquals(304, http.send("POST", "/containers/web/start").status(), "already started");
        assertEquals(204, http.send("POST", "/containers/web/pause").status());
        assertEquals(409, http.send("POST", "/containers/web/pause").status());
        assertEquals(204, http.send("POST", "/containers/web/unpause").status());
        UnixHttpClient.Response top = http.get("/containers/web/top?ps_args=aux");
        assertEquals(List.of("Titles", "Processes"), names(top.json()));
        assertTrue(api.containers.calls.contains("top /web aux"));
        assertEquals(204, http.send("POST", "/containers/web/restart?t=3&signal=SIGUSR1").status());
        assertTrue(api.containers.calls.contains("restart /web t=3 signal=SIGUSR1"));
        assertEquals(204, http.send("POST", "/containers/web/stop?t=0&signal=SIGINT").status());
        assertTrue(api.containers.calls.contains("stop /web t=0 signal=SIGINT"));
        assertEquals(304, http.send("POST", "/containers/web/stop").status(), "not running");
        // Before API 1.42 there was no stop signal.
        http.send("POST", "/containers/web/start");
        assertEquals(204, http.send("POST", "/v1.41/containers/web/stop?signal=SIGINT").status());
        assertTrue(api.containers.calls.contains("stop /web t=null signal=null"));

        UnixHttpClient.Response kill = http.send("POST", "/containers/web/kill?signal=HUP");
        assertEquals(409, kill.status());
        assertTrue(kill.message().startsWith("cannot kill container: web: container "), kill.message());
        http.send("POST", "/containers/web/start");
        assertEquals(204, http.send("POST", "/containers/web/kill?signal=15").status());
        assertTrue(api.containers.calls.contains("kill /web signal=15"));

        assertEquals(204, http.send("POST", "/containers/web/rename?name=api").status());
        assertEquals(400, http.send("POST", "/containers/api/rename").status());
        assertEquals(404, http.send("POST", "/containers/web/rename?name=x").status());

        http.send("POST", "/containers/api/start");
        UnixHttpClient.Response busy = http.send("DELETE", "/containers/api");
        assertEquals(409, busy.status());
        assertTrue(busy.message().contains("container is running"), busy.message());
        assertEquals(204, http.send("DELETE", "/v1.50/containers/api?force=1&v=1").status());
        assertTrue(api.containers.calls.contains("remove /api force=true v=true"));
        assertEquals(404, http.send("DELETE", "/containers/api").status());

        create("gone", "{\"Image\":\"busybox\",\"Cmd\":[\"exit\",\"0\"]}");
        UnixHttpClient.Response pruned = http.send("POST", "/containers/prune");
        assertEquals(200, pruned.status());
        assertEquals(List.of("ContainersDeleted", "SpaceReclaimed"), names(pruned.json()));
        assertEquals(1, pruned.json().get("ContainersDeleted").size());
    }

    @Test
    void startRefusesABodyAndResizeReadsUint32() throws Exception {
        create("web", "{\"Image\":\"nginx\",\"Cmd\":[\"sleep\"]}");
        UnixHttpClient.Response withBody = http.send("POST", "/containers/web/start",
                Map.of("Content-Type", "application/json"), "{\"Binds\":[\"/a:/b\"]}".getBytes());
        assertEquals(400, withBody.status());
        assertTrue(withBody.message().contains("removed in v1.24"), withBody.message());
        assertEquals(204, http.send("POST", "/containers/web/start", Map.of("Content-Type", "application/json"),
                "{}".getBytes()).status());
        UnixHttpClient.Response resized = http.send("POST", "/containers/web/resize?h=40&w=120");
        assertEquals(200, resized.status());
        assertEquals(0, resized.body().length);
        assertTrue(api.containers.calls.contains("resize /web 40x120"));
        for (String bad : List.of("h=-1&w=2", "h=a&w=2", "h=1&w=99999999999")) {
            assertEquals(400, http.send("POST", "/containers/web/resize?" + bad).status(), bad);
        }
    }

    @Test
    void servicesAbsentAre503() throws Exception {
        api.containersRef.set(null);
        UnixHttpClient.Response r = http.get("/containers/json");
        assertEquals(503, r.status());
        assertEquals("containers are not available: the container service is not running", r.message());
        assertEquals(503, http.send("POST", "/exec/abc/start").status());
        assertEquals(200, http.get("/_ping").status());
    }

    // --- wait ------------------------------------------------------------------------------------------------------

    /**
     * docker run sends the wait before the start and only starts the container once the wait's response head has
     * arrived: the head must not wait for the condition.
     */
    @Test
    void waitSendsItsHeadAtOnceAndTheBodyWhenTheContainerExits() throws Exception {
        run("web", "{\"Image\":\"nginx\",\"Cmd\":[\"sleep\"]}");
        try (UnixHttpClient.Exchange x = http.open("POST", "/v1.50/containers/web/wait?condition=not-running",
                Map.of(), 0L)) {
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            assertEquals(200, x.status);
            assertEquals("application/json", x.header("Content-Type"));
            assertEquals("chunked", x.header("Transfer-Encoding"));
            assertEquals(204, http.send("POST", "/containers/web/kill?signal=TERM").status());
            String body = assertTimeoutPreemptively(TIMEOUT, () -> new String(x.body().readAllBytes()));
            assertEquals("{\"StatusCode\":143}\n", body);
        }
        // Already stopped: not-running holds at once.
        assertEquals("{\"StatusCode\":143}\n", http.send("POST", "/containers/web/wait").text());
        assertEquals(400, http.send("POST", "/containers/web/wait?condition=later").status());
        assertEquals(404, http.send("POST", "/containers/nope/wait").status());
    }

    /**
     * Waits hold no thread: more waits than Jetty's pool has threads (200) are all answered with their head, the
     * server keeps serving, and every one gets its body when the container exits.
     */
    @Test
    void manyWaitsDoNotPinThreads() throws Exception {
        run("web", "{\"Image\":\"nginx\",\"Cmd\":[\"sleep\"]}");
        int n = 250;
        List<UnixHttpClient.Exchange> waits = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                waits.add(http.open("POST", "/containers/web/wait?condition=next-exit", Map.of(), 0L));
            }
            for (UnixHttpClient.Exchange x : waits) {
                assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
                assertEquals(200, x.status);
            }
            assertEquals(200, http.get("/_ping").status());
            assertEquals(200, http.get("/containers/json").status());
            assertEquals(204, http.send("POST", "/containers/web/stop").status());
            for (UnixHttpClient.Exchange x : waits) {
                assertEquals("{\"StatusCode\":143}\n",
                        new String(assertTimeoutPreemptively(TIMEOUT, () -> x.body().readAllBytes())));
            }
        } finally {
            for (UnixHttpClient.Exchange x : waits) {
                x.close();
            }
        }
    }

    @Test
    void waitReportsAFailedWaitInTheBodyAndOldClientsGetItAllAtTheEnd() throws Exception {
        create("web", "{\"Image\":\"busybox\",\"Cmd\":[\"exit\",\"3\"]}");
        try (UnixHttpClient.Exchange x = http.open("POST", "/containers/web/wait?condition=removed", Map.of(), 0L)) {
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            assertEquals(200, x.status);
            // The engine gives up waiting: the failure is in the body, the status line is long gone.
            var waiters = api.containers.find("web").removeWaiters;
            synchronized (api.containers.find("web")) {
                waiters.get(0).completeExceptionally(
                        new keel.engine.api.errors.EngineException(
                                keel.engine.api.errors.EngineException.Kind.CONFLICT, "removal failed: busy"));
            }
            JsonNode body = JSON.readTree(assertTimeoutPreemptively(TIMEOUT, () -> x.body().readAllBytes()));
            assertEquals("removal failed: busy", body.at("/Error/Message").asText());
            assertEquals(-1, body.get("StatusCode").asInt());
        }
        // API 1.29: no condition, no early head, a Content-Length body.
        http.send("POST", "/containers/web/start");
        UnixHttpClient.Response old = http.send("POST", "/v1.29/containers/web/wait?condition=bogus");
        assertEquals(200, old.status());
        assertEquals("{\"StatusCode\":3}\n", old.text());
        assertEquals(String.valueOf(old.body().length), old.header("Content-Length"));
    }

    // --- attach --------------------------------------------------------------------------------------------------

    /**
     * What docker run -i does: attach with Upgrade, write stdin, half-close; the 101 is dockerd's, stdin reaches
     * the process, its EOF closes the process' stdin, the echo comes back framed, then EOF.
     */
    @Test
    void attachHijacksTheConnectionAndHalfCloseEndsStdin() throws Exception {
        String id = create("cat", "{\"Image\":\"busybox\",\"Cmd\":[\"cat\"],\"OpenStdin\":true,\"StdinOnce\":true,"
                + "\"AttachStdin\":true}");
        try (UnixHttpClient.Exchange x = http.open("POST",
                "/v1.50/containers/cat/attach?stream=1&stdin=1&stdout=1&stderr=1", UPGRADE, 0L)) {
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            assertEquals("HTTP/1.1 101 UPGRADED", x.statusLine);
            assertEquals("application/vnd.docker.multiplexed-stream", x.header("Content-Type"));
            assertEquals("Upgrade", x.header("Connection"));
            assertEquals("tcp", x.header("Upgrade"));
            assertNull(x.header("Content-Length"));
            assertNull(x.header("Transfer-Encoding"));
            assertEquals(204, http.send("POST", "/containers/" + id + "/start").status());
            x.rawOut.write("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
            x.shutdownOutput();
            List<Frame> frames = assertTimeoutPreemptively(TIMEOUT, () -> frames(x.raw()));
            assertEquals("hello\nworld\n", joined(frames, 1));
            assertTrue(frames.stream().allMatch(f -> f.stream() == 1), frames.toString());
        }
        FakeContainerService.FakeContainer c = api.containers.find("cat");
        assertTrue(c.stdin.isClosed(), "the client's EOF closed the process' stdin");
        assertEquals("hello\nworld\n", c.stdin.received());
        assertEquals("attach /cat stdin=true stream=true", api.containers.calls.get(1));
    }

    @Test
    void outputKeepsFlowingAfterTheClientClosedItsSide() throws Exception {
        create("talk", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\"]}");
        try (UnixHttpClient.Exchange x = http.open("POST", "/containers/talk/attach?stream=1&stdout=1&stderr=1",
                UPGRADE, 0L)) {
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            // docker run without -i half-closes at once.
            x.shutdownOutput();
            http.send("POST", "/containers/talk/start");
            FakeContainerService.FakeContainer c = api.containers.find("talk");
            Thread.sleep(100);
            c.emit(1, "out\n".getBytes());
            c.emit(2, "err\n".getBytes());
            http.send("POST", "/containers/talk/stop");
            List<Frame> frames = assertTimeoutPreemptively(TIMEOUT, () -> frames(x.raw()));
            assertEquals(List.of(new Frame(1, "out\n"), new Frame(2, "err\n")), frames);
        }
    }

    @Test
    void ttyAttachIsRawAndInputSentWithTheRequestIsNotLost() throws Exception {
        create("term", "{\"Image\":\"busybox\",\"Cmd\":[\"cat\"],\"Tty\":true,\"OpenStdin\":true}");
        http.send("POST", "/containers/term/start");
        try (UnixHttpClient.Exchange x = http.open("POST", "/containers/term/attach?stream=1&stdin=1&stdout=1",
                UPGRADE, 0L)) {
            // Bytes right behind the request head, before the 101: Jetty hands them over with the socket.
            x.rawOut.write("early ".getBytes());
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            assertEquals(101, x.status);
            assertEquals("application/vnd.docker.raw-stream", x.header("Content-Type"));
            x.rawOut.write("late".getBytes());
            x.shutdownOutput();
            byte[] out = assertTimeoutPreemptively(TIMEOUT, () -> x.raw().readAllBytes());
            assertEquals("early late", new String(out, StandardCharsets.UTF_8));
        }
    }

    @Test
    void attachReplaysLogsAndOldClientsSeeARawStreamMediaType() throws Exception {
        create("done", "{\"Image\":\"busybox\",\"Cmd\":[\"echo\",\"bye\"]}");
        http.send("POST", "/containers/done/start");
        http.send("POST", "/containers/done/wait");
        try (UnixHttpClient.Exchange x = http.open("POST", "/v1.41/containers/done/attach?logs=1&stdout=1",
                UPGRADE, 0L)) {
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            // Before 1.42 dockerd called every stream raw, framed or not.
            assertEquals("application/vnd.docker.raw-stream", x.header("Content-Type"));
            assertEquals(List.of(new Frame(1, "bye\n")), assertTimeoutPreemptively(TIMEOUT, () -> frames(x.raw())));
        }
    }

    @Test
    void attachWithoutUpgradeIsAChunked200() throws Exception {
        create("err", "{\"Image\":\"busybox\",\"Cmd\":[\"stderr\",\"oops\"]}");
        try (UnixHttpClient.Exchange x = http.open("POST", "/containers/err/attach?stream=1&stdout=1&stderr=1",
                Map.of(), 0L)) {
            // Started only once attached: attaching to a container that already ran waits for its next run.
            for (int i = 0; i < 500 && api.containers.lastAttach == null; i++) {
                Thread.sleep(10);
            }
            http.send("POST", "/containers/err/start");
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            assertEquals(200, x.status);
            assertEquals("application/vnd.docker.multiplexed-stream", x.header("Content-Type"));
            assertEquals(List.of(new Frame(2, "oops\n")), assertTimeoutPreemptively(TIMEOUT, () -> frames(x.body())));
        }
    }

    @Test
    void attachErrorsKeepTheirStatus() throws Exception {
        try (UnixHttpClient.Exchange x = http.open("POST", "/containers/nope/attach?stream=1", UPGRADE, 0L)) {
            UnixHttpClient.Response r = x.readResponse();
            assertEquals(404, r.status());
            assertEquals("No such container: nope", r.message());
            assertNull(r.header("Upgrade"));
        }
        create("p", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\"]}");
        http.send("POST", "/containers/p/start");
        http.send("POST", "/containers/p/pause");
        try (UnixHttpClient.Exchange x = http.open("POST", "/containers/p/attach?stream=1", UPGRADE, 0L)) {
            UnixHttpClient.Response r = x.readResponse();
            assertEquals(409, r.status());
            assertEquals("You cannot attach to a paused container, unpause it first", r.message());
        }
        assertEquals(200, http.get("/_ping").status());
    }

    @Test
    void closingTheSocketDetaches() throws Exception {
        create("s", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\"]}");
        http.send("POST", "/containers/s/start");
        FakeContainerService.FakeContainer c = api.containers.find("s");
        try (UnixHttpClient.Exchange x = http.open("POST", "/containers/s/attach?stream=1&stdout=1", UPGRADE, 0L)) {
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
        }
        // The next output finds the client gone and the attachment is dropped.
        for (int i = 0; i < 200 && !c.attached.isEmpty(); i++) {
            c.emit(1, "tick\n".getBytes());
            Thread.sleep(20);
        }
        assertTrue(c.attached.isEmpty(), "detached after the client left");
    }

    // --- exec ----------------------------------------------------------------------------------------------------

    @Test
    void execCreateStartHijackAndInspect() throws Exception {
        String cid = run("box", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\"]}");
        UnixHttpClient.Response created = http.send("POST", "/v1.50/containers/box/exec",
                Map.of("Content-Type", "application/json"), ("{\"AttachStdin\":true,\"AttachStdout\":true,"
                        + "\"AttachStderr\":true,\"Tty\":false,\"Cmd\":[\"cat\"],\"Env\":[\"X=1\"],"
                        + "\"DetachKeys\":\"ctrl-p,ctrl-q\"}").getBytes());
        assertEquals(201, created.status(), created.text());
        assertEquals(List.of("Id"), names(created.json()));
        String execId = created.json().get("Id").asText();
        byte[] start = "{\"Detach\":false,\"Tty\":false,\"ConsoleSize\":null}".getBytes();
        try (UnixHttpClient.Exchange x = http.open("POST", "/v1.50/exec/" + execId + "/start",
                Map.of("Upgrade", "tcp", "Connection", "Upgrade", "Content-Type", "application/json"),
                (long) start.length)) {
            x.rawOut.write(start);
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            assertEquals("HTTP/1.1 101 UPGRADED", x.statusLine);
            assertEquals("application/vnd.docker.multiplexed-stream", x.header("Content-Type"));
            x.rawOut.write("ping\n".getBytes());
            x.shutdownOutput();
            assertEquals(List.of(new Frame(1, "ping\n")), assertTimeoutPreemptively(TIMEOUT, () -> frames(x.raw())));
        }
        JsonNode e = http.get("/exec/" + execId + "/json").json();
        assertEquals(List.of("ID", "Running", "ExitCode", "ProcessConfig", "OpenStdin", "OpenStderr", "OpenStdout",
                "CanRemove", "ContainerID", "DetachKeys", "Pid"), names(e));
        assertEquals(execId, e.get("ID").asText());
        assertFalse(e.get("Running").asBoolean());
        assertEquals(0, e.get("ExitCode").asInt());
        assertEquals(cid, e.get("ContainerID").asText());
        assertEquals("{\"tty\":false,\"entrypoint\":\"cat\",\"arguments\":[]}", e.get("ProcessConfig").toString());
        assertEquals(java.util.Base64.getEncoder().encodeToString("ctrl-p,ctrl-q".getBytes()),
                e.get("DetachKeys").asText());

        assertEquals(200, http.send("POST", "/exec/" + execId + "/resize?h=10&w=20").status());
        assertEquals(404, http.get("/exec/nope/json").status());
        UnixHttpClient.Response again = http.send("POST", "/exec/" + execId + "/start",
                Map.of("Content-Type", "application/json"), "{\"Detach\":true}".getBytes());
        assertEquals(409, again.status());
    }

    @Test
    void execDetachedTtyAndErrors() throws Exception {
        run("box", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\"]}");
        String detached = http.send("POST", "/containers/box/exec", Map.of("Content-Type", "application/json"),
                "{\"Cmd\":[\"echo\",\"x\"]}".getBytes()).json().get("Id").asText();
        UnixHttpClient.Response r = http.send("POST", "/exec/" + detached + "/start",
                Map.of("Content-Type", "application/json"), "{\"Detach\":true}".getBytes());
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);

        String tty = http.send("POST", "/containers/box/exec", Map.of("Content-Type", "application/json"),
                "{\"Cmd\":[\"echo\",\"hi\"],\"Tty\":true,\"AttachStdout\":true}".getBytes()).json().get("Id")
                .asText();
        byte[] start = "{\"Tty\":true}".getBytes();
        try (UnixHttpClient.Exchange x = http.open("POST", "/exec/" + tty + "/start", UPGRADE,
                (long) start.length)) {
            x.rawOut.write(start);
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            assertEquals("application/vnd.docker.raw-stream", x.header("Content-Type"));
            x.shutdownOutput();
            assertEquals("hi\r\n", new String(assertTimeoutPreemptively(TIMEOUT, () -> x.raw().readAllBytes())));
        }

        UnixHttpClient.Response noCmd = http.send("POST", "/containers/box/exec",
                Map.of("Content-Type", "application/json"), "{\"Cmd\":[]}".getBytes());
        assertEquals(400, noCmd.status());
        assertEquals("No exec command specified", noCmd.message());
        http.send("POST", "/containers/box/stop");
        assertEquals(409, http.send("POST", "/containers/box/exec", Map.of("Content-Type", "application/json"),
                "{\"Cmd\":[\"true\"]}".getBytes()).status());
        try (UnixHttpClient.Exchange x = http.open("POST", "/exec/nope/start", UPGRADE, 0L)) {
            assertEquals(404, x.readResponse().status());
        }
    }

    // --- logs ----------------------------------------------------------------------------------------------------

    @Test
    void logsAreFramedPerEntryUnlessTheContainerHasATerminal() throws Exception {
        create("log", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\"]}");
        http.send("POST", "/containers/log/start");
        FakeContainerService.FakeContainer c = api.containers.find("log");
        c.emit(1, "one\n".getBytes());
        c.emit(1, "uno\n".getBytes());
        c.emit(2, "two\n".getBytes());
        c.emit(1, "three\n".getBytes());
        UnixHttpClient.Response r = http.get("/v1.50/containers/log/logs?stdout=1&stderr=1&tail=all");
        assertEquals(200, r.status());
        assertEquals("application/vnd.docker.multiplexed-stream", r.header("Content-Type"));
        List<Frame> frames = frames(new java.io.ByteArrayInputStream(r.body()));
        // Entries of the same stream that follow each other share a frame: the client sees the same bytes.
        assertEquals(List.of(new Frame(1, "one\nuno\n"), new Frame(2, "two\n"), new Frame(1, "three\n")), frames);
        assertEquals(-1, api.containers.lastLogs.tail());

        UnixHttpClient.Response stderrOnly = http.get("/containers/log/logs?stderr=1&tail=2&since=1700000000.5"
                + "&until=2024-05-01T10:00:00.25%2B02:00&timestamps=1");
        assertEquals(2, api.containers.lastLogs.tail());
        assertEquals(1_700_000_000_500_000_000L, api.containers.lastLogs.sinceNanos());
        assertEquals(java.time.Instant.parse("2024-05-01T08:00:00.25Z").getEpochSecond() * 1_000_000_000L
                + 250_000_000L, api.containers.lastLogs.untilNanos());
        assertTrue(api.containers.lastLogs.timestamps());
        assertFalse(api.containers.lastLogs.stdout());
        assertEquals(List.of(new Frame(2, "2026-11-23T10:00:00.000000000Z two\n")),
                frames(new java.io.ByteArrayInputStream(stderrOnly.body())));

        UnixHttpClient.Response none = http.get("/containers/log/logs");
        assertEquals(400, none.status());
        assertEquals("You must choose at least one stream", none.message());
        assertEquals(400, http.get("/containers/log/logs?stdout=1&since=yesterday").status());
        assertEquals(400, http.get("/containers/log/logs?stdout=1&tail=some").status());
        assertEquals(404, http.get("/containers/nope/logs?stdout=1").status());

        create("tty", "{\"Image\":\"busybox\",\"Cmd\":[\"echo\",\"raw\"],\"Tty\":true}");
        http.send("POST", "/containers/tty/start");
        http.send("POST", "/containers/tty/wait");
        UnixHttpClient.Response raw = http.get("/containers/tty/logs?stdout=1");
        assertEquals("application/vnd.docker.raw-stream", raw.header("Content-Type"));
        assertArrayEquals("raw\r\n".getBytes(), raw.body());
    }

    @Test
    void followedLogsStreamUntilTheContainerExits() throws Exception {
        create("f", "{\"Image\":\"busybox\",\"Cmd\":[\"sleep\"]}");
        http.send("POST", "/containers/f/start");
        FakeContainerService.FakeContainer c = api.containers.find("f");
        c.emit(1, "before\n".getBytes());
        try (UnixHttpClient.Exchange x = http.open("GET", "/containers/f/logs?stdout=1&follow=1", Map.of(), null)) {
            assertTimeoutPreemptively(TIMEOUT, () -> x.readHead());
            InputStream body = x.body();
            byte[] first = assertTimeoutPreemptively(TIMEOUT, () -> body.readNBytes(8 + 7));
            assertEquals("before\n", new String(first, 8, 7));
            // The fake follows once its replay is done.
            for (int i = 0; i < 500 && c.attached.isEmpty(); i++) {
                Thread.sleep(10);
            }
            c.emit(1, "after\n".getBytes());
            byte[] second = assertTimeoutPreemptively(TIMEOUT, () -> body.readNBytes(8 + 6));
            assertEquals("after\n", new String(second, 8, 6));
            http.send("POST", "/containers/f/stop");
            assertEquals(-1, assertTimeoutPreemptively(TIMEOUT, () -> body.read()));
        }
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
