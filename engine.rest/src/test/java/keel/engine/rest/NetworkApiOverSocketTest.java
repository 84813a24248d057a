package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;

/**
 * The network endpoints over a real Unix socket with a fake engine: dockerd 28's JSON (keys, order, Go's zero
 * values), the statuses of each operation and of the engine's errors, filters, and the bodies of create, connect
 * and disconnect as the docker CLI sends them.
 */
class NetworkApiOverSocketTest {
    private static final Map<String, String> JSON_TYPE = Map.of("Content-Type", "application/json");

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

    private UnixHttpClient.Response post(String target, String body) throws IOException {
        return http.send("POST", target, JSON_TYPE, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** What `docker network create --subnet ... --ip-range ... --gateway ... --internal --label a=b -o ...` sends. */
    static final String CLI_CREATE = "{\"Driver\":\"bridge\",\"Scope\":\"\",\"IPAM\":{\"Driver\":\"default\","
            + "\"Options\":{},\"Config\":[{\"Subnet\":\"198.18.7.0/24\",\"IPRange\":\"198.18.7.128/25\","
            + "\"Gateway\":\"198.18.7.1\"}]},\"Internal\":true,\"Attachable\":false,\"Ingress\":false,"
            + "\"ConfigOnly\":false,\"ConfigFrom\":null,\"Options\":{\"com.docker.network.bridge.name\":\"x\"},"
            + "\"Labels\":{\"a\":\"b\"},\"Name\":\"net1\"}\n";

    private String createNet1() throws IOException {
        UnixHttpClient.Response r = post("/v1.50/networks/create", CLI_CREATE);
        assertEquals(201, r.status(), r.text());
        return r.json().get("Id").asText();
    }

    // --- create --------------------------------------------------------------------------------------------------

    @Test
    void createMapsTheCliBodyAndAnswers201WithIdAndWarning() throws Exception {
        UnixHttpClient.Response r = post("/v1.50/networks/create", CLI_CREATE);
        assertEquals(201, r.status(), r.text());
        assertEquals(List.of("Id", "Warning"), names(r.json()));
        assertEquals(64, r.json().get("Id").asText().length());
        assertEquals("", r.json().get("Warning").asText(), "a Go string: never null");
        NetworkCreateRequest c = api.networks.lastCreate;
        assertEquals("net1", c.name());
        assertEquals("bridge", c.driver());
        assertEquals(Boolean.TRUE, c.internal());
        assertEquals(Boolean.FALSE, c.attachable());
        assertNull(c.enableIPv6(), "omitted by the CLI unless --ipv6 was given");
        assertEquals(new Ipam("default", List.of(new Ipam.Config("198.18.7.0/24", "198.18.7.128/25", "198.18.7.1",
                null)), Map.of()), c.ipam());
        assertEquals(Map.of("com.docker.network.bridge.name", "x"), c.options());
        assertEquals(Map.of("a", "b"), c.labels());

        UnixHttpClient.Response warned = post("/networks/create", "{\"Name\":\"mv\",\"Driver\":\"macvlan\"}");
        assertEquals(201, warned.status());
        assertEquals("macvlan is a fake driver", warned.json().get("Warning").asText());
    }

    @Test
    void createReadsKeysAsGoDoesAndRefusesWrongTypes() throws Exception {
        UnixHttpClient.Response r = post("/networks/create", "{\"name\":\"n2\",\"ipam\":{\"config\":[{\"subnet\":"
                + "\"10.9.0.0/16\",\"iprange\":\"10.9.1.0/24\",\"AuxiliaryAddresses\":{\"host1\":\"10.9.0.5\"}}]},"
                + "\"EnableIPv6\":true,\"CheckDuplicate\":true,\"Future\":1}");
        assertEquals(201, r.status(), r.text());
        NetworkCreateRequest c = api.networks.lastCreate;
        assertEquals("n2", c.name());
        assertEquals("10.9.1.0/24", c.ipam().config().get(0).ipRange());
        assertEquals(Map.of("host1", "10.9.0.5"), c.ipam().config().get(0).auxiliaryAddresses());
        assertEquals(Boolean.TRUE, c.enableIPv6());
        assertEquals(Boolean.TRUE, c.checkDuplicate());

        for (String bad : List.of("{\"Name\":\"x\",\"Internal\":\"yes\"}", "{\"Name\":7}", "{\"Name\":\"x\"} {}",
                "[1]", "{\"Name\":\"x\",\"Labels\":[\"a\"]}")) {
            UnixHttpClient.Response refused = post("/networks/create", bad);
            assertEquals(400, refused.status(), bad);
            assertTrue(refused.message().startsWith("invalid JSON"), refused.message());
        }
        UnixHttpClient.Response xml = http.send("POST", "/networks/create", Map.of("Content-Type", "text/xml"),
                "<x/>".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, xml.status());
        assertEquals("unsupported Content-Type header (text/xml): must be 'application/json'", xml.message());
    }

    @Test
    void createErrorsKeepTheEnginesKinds() throws Exception {
        createNet1();
        UnixHttpClient.Response dup = post("/networks/create", "{\"Name\":\"net1\"}");
        assertEquals(409, dup.status());
        assertEquals("network with name net1 already exists", dup.message());
        UnixHttpClient.Response predefined = post("/networks/create", "{\"Name\":\"host\"}");
        assertEquals(403, predefined.status());
        UnixHttpClient.Response empty = http.send("POST", "/networks/create", Map.of(), new byte[0]);
        assertEquals(400, empty.status(), "an empty body is all defaults: the engine refuses the empty name");
        assertEquals("network name cannot be empty", empty.message());
    }

    @Test
    void createRefusesWhatOnlySwarmOrConfigOnlyNetworksDo() throws Exception {
        Map<String, Integer> refused = Map.of(
                "{\"Name\":\"a\",\"Scope\":\"swarm\"}", 501,
                "{\"Name\":\"a\",\"Scope\":\"galaxy\"}", 400,
                "{\"Name\":\"a\",\"Ingress\":true}", 501,
                "{\"Name\":\"a\",\"ConfigOnly\":true}", 501,
                "{\"Name\":\"a\",\"ConfigFrom\":{\"Network\":\"base\"}}", 501,
                "{\"Name\":\"a\",\"EnableIPv4\":false}", 501,
                "{\"Name\":\"a\",\"Ingress\":\"no\"}", 400);
        for (Map.Entry<String, Integer> e : refused.entrySet()) {
            UnixHttpClient.Response r = post("/v1.50/networks/create", e.getKey());
            assertEquals(e.getValue(), r.status(), e.getKey() + ": " + r.text());
        }
        assertEquals("ingress networks are swarm's routing mesh, which Keel does not have",
                post("/networks/create", "{\"Name\":\"a\",\"Ingress\":true}").message());
        assertTrue(api.networks.calls.isEmpty(), "nothing reached the engine: " + api.networks.calls);
        // EnableIPv4 is new in API 1.48: an older client's value is ignored, as dockerd does.
        assertEquals(201, post("/v1.47/networks/create", "{\"Name\":\"a\",\"EnableIPv4\":false}").status());
        assertEquals(201, post("/networks/create", "{\"Name\":\"b\",\"Scope\":\"local\",\"EnableIPv4\":true,"
                + "\"ConfigFrom\":{\"Network\":\"\"}}").status());
    }

    // --- list and inspect -------------------------------------------------------------------------------------

    @Test
    void listRowsHaveDockersKeysInGoOrderAndNoEndpoints() throws Exception {
        String id = createNet1();
        api.containers.create("c1", new keel.engine.api.container.CreateRequest(
                keel.engine.api.container.ContainerConfig.builder().image("busybox").build(), HostConfig.EMPTY,
                null));
        api.networks.connect("net1", "c1", null);
        UnixHttpClient.Response r = http.get("/v1.50/networks");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        JsonNode rows = r.json();
        assertEquals(4, rows.size());
        JsonNode net1 = rows.get(3);
        assertEquals(List.of("Name", "Id", "Created", "Scope", "Driver", "EnableIPv4", "EnableIPv6", "IPAM",
                "Internal", "Attachable", "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels"),
                names(net1));
        assertEquals(id, net1.get("Id").asText());
        assertEquals("{}", net1.get("Containers").toString(), "the list has no endpoints since API 1.28");
        assertEquals("{\"Network\":\"\"}", net1.get("ConfigFrom").toString());
        assertTrue(net1.get("EnableIPv4").asBoolean());
        assertEquals("{\"Driver\":\"default\",\"Options\":{},\"Config\":[{\"Subnet\":\"198.18.7.0/24\","
                + "\"IPRange\":\"198.18.7.128/25\",\"Gateway\":\"198.18.7.1\"}]}", net1.get("IPAM").toString());
        JsonNode host = rows.get(1);
        assertEquals("{\"Driver\":\"default\",\"Options\":null,\"Config\":null}", host.get("IPAM").toString(),
                "host has no address pools");
        JsonNode bridge = rows.get(0);
        assertEquals("{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\"}",
                bridge.at("/IPAM/Config/0").toString(), "IPRange and AuxiliaryAddresses are omitempty");
        assertEquals(List.of("com.docker.network.bridge.default_bridge", "com.docker.network.bridge.name",
                "com.docker.network.driver.mtu"), names(bridge.get("Options")), "Go sorts map keys");

        JsonNode old = http.get("/v1.27/networks").json();
        assertEquals(1, old.get(3).get("Containers").size(), "API 1.27 lists endpoints as inspect does");
        assertEquals(200, http.get("/networks/").status(), "dockerd also routes the trailing slash");
    }

    @Test
    void listFiltersReachTheEngineAndUnknownOnesAreRefused() throws Exception {
        createNet1();
        JsonNode rows = http.get("/networks?filters=" + q("{\"driver\":{\"bridge\":true},\"label\":{\"a\":true}}"))
                .json();
        assertEquals(Map.of("driver", List.of("bridge"), "label", List.of("a")), api.networks.lastFilters);
        assertEquals(1, rows.size());
        assertEquals("net1", rows.get(0).get("Name").asText());
        http.get("/networks?filters=" + q("{\"type\":[\"custom\"]}"));
        assertEquals(Map.of("type", List.of("custom")), api.networks.lastFilters);
        UnixHttpClient.Response bad = http.get("/networks?filters=" + q("{\"color\":{\"red\":true}}"));
        assertEquals(400, bad.status());
        assertEquals("invalid filter 'color'", bad.message());
        assertEquals(400, http.get("/networks?filters=" + q("{not json")).status());
    }

    @Test
    void inspectListsTheEndpointsOfEachContainer() throws Exception {
        String id = createNet1();
        var created = api.containers.create("c1", new keel.engine.api.container.CreateRequest(
                keel.engine.api.container.ContainerConfig.builder().image("busybox").build(), HostConfig.EMPTY,
                null));
        api.networks.connect("net1", "c1", null);
        for (String ref : List.of("net1", id, id.substring(0, 12))) {
            UnixHttpClient.Response r = http.get("/v1.50/networks/" + ref);
            assertEquals(200, r.status(), ref);
            JsonNode ep = r.json().at("/Containers/" + created.id());
            assertEquals(List.of("Name", "EndpointID", "MacAddress", "IPv4Address", "IPv6Address"), names(ep));
            assertEquals("c1", ep.get("Name").asText());
            assertEquals("172.18.0.2/16", ep.get("IPv4Address").asText());
            assertEquals("", ep.get("IPv6Address").asText());
        }
        assertEquals(200, http.get("/networks/net1?verbose=true&scope=local").status());
        UnixHttpClient.Response swarm = http.get("/networks/net1?scope=swarm");
        assertEquals(404, swarm.status(), "a local network is not found under another scope");
        assertEquals("network net1 not found", swarm.message());
        UnixHttpClient.Response verbose = http.get("/networks/net1?verbose=maybe");
        assertEquals(400, verbose.status());
        assertEquals("invalid value for verbose: maybe: strconv.ParseBool: parsing \"maybe\": invalid syntax",
                verbose.message());
        UnixHttpClient.Response missing = http.get("/networks/nope");
        assertEquals(404, missing.status());
        assertEquals("network nope not found", missing.message());
        JsonNode predefined = http.get("/networks/bridge").json();
        assertEquals("2026-11-23T09:00:00.000000001Z", predefined.get("Created").asText());
    }

    // --- connect, disconnect, remove, prune ---------------------------------------------------------------------

    @Test
    void connectAndDisconnectPassTheCliBodies() throws Exception {
        createNet1();
        api.containers.create("c1", new keel.engine.api.container.CreateRequest(
                keel.engine.api.container.ContainerConfig.builder().image("busybox").build(), HostConfig.EMPTY,
                null));
        // `docker network connect --alias db --ip 198.18.7.20 net1 c1`
        UnixHttpClient.Response r = post("/v1.50/networks/net1/connect", "{\"Container\":\"c1\",\"EndpointConfig\":"
                + "{\"IPAMConfig\":{\"IPv4Address\":\"198.18.7.20\"},\"Links\":null,\"Aliases\":[\"db\"],"
                + "\"MacAddress\":\"\",\"DriverOpts\":{},\"GwPriority\":0,\"NetworkID\":\"\",\"EndpointID\":\"\","
                + "\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\","
                + "\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}\n");
        assertEquals(200, r.status(), r.text());
        assertEquals(0, r.body().length);
        assertEquals("connect net1 /c1", api.networks.calls.get(api.networks.calls.size() - 1));
        EndpointSettings ep = api.networks.lastEndpoint;
        assertEquals("198.18.7.20", ep.ipamConfig().ipv4Address());
        assertEquals(List.of("db"), ep.aliases());
        assertEquals(Map.of(), ep.driverOpts());

        UnixHttpClient.Response again = post("/networks/net1/connect", "{\"Container\":\"c1\"}");
        assertEquals(403, again.status());
        assertEquals("endpoint with name c1 already exists in network net1", again.message());
        assertNull(api.networks.lastEndpoint, "no EndpointConfig: null");

        UnixHttpClient.Response gone = post("/networks/net1/disconnect", "{\"Container\":\"c1\",\"Force\":true}\n");
        assertEquals(200, gone.status(), gone.text());
        assertEquals("disconnect net1 /c1 force=true", api.networks.calls.get(api.networks.calls.size() - 1));
        assertEquals(403, post("/networks/net1/disconnect", "{\"Container\":\"c1\",\"Force\":false}").status());
    }

    @Test
    void connectErrors() throws Exception {
        createNet1();
        UnixHttpClient.Response noContainer = post("/networks/net1/connect", "{\"Container\":\"ghost\"}");
        assertEquals(404, noContainer.status());
        assertEquals("No such container: ghost", noContainer.message());
        UnixHttpClient.Response noNetwork = post("/networks/nope/connect", "{\"Container\":\"ghost\"}");
        assertEquals(404, noNetwork.status());
        UnixHttpClient.Response empty = post("/networks/net1/connect", "{}");
        assertEquals(400, empty.status());
        assertEquals("invalid container name or ID: value is empty", empty.message());
        assertEquals(400, post("/networks/net1/disconnect", "").status());
        UnixHttpClient.Response linkLocal = post("/networks/net1/connect", "{\"Container\":\"c1\",\"EndpointConfig\":"
                + "{\"IPAMConfig\":{\"LinkLocalIPs\":[\"169.254.1.1\"]}}}");
        assertEquals(501, linkLocal.status());
        assertEquals(501, post("/networks/net1/connect", "{\"Container\":\"c1\",\"EndpointConfig\":"
                + "{\"GwPriority\":3}}").status());
        assertEquals(400, post("/networks/net1/connect", "{\"Container\":\"c1\",\"EndpointConfig\":"
                + "{\"Aliases\":\"db\",\"IPPrefixLen\":\"16\"}}").status());
    }

    @Test
    void removeAnswers204AndKeepsTheEnginesRefusals() throws Exception {
        createNet1();
        UnixHttpClient.Response predefined = http.send("DELETE", "/networks/bridge");
        assertEquals(403, predefined.status());
        assertEquals("bridge is a pre-defined network and cannot be removed", predefined.message());
        UnixHttpClient.Response ok = http.send("DELETE", "/v1.50/networks/net1");
        assertEquals(204, ok.status());
        assertEquals(0, ok.body().length);
        UnixHttpClient.Response missing = http.send("DELETE", "/networks/net1");
        assertEquals(404, missing.status());
        assertEquals("network net1 not found", missing.message());
    }

    @Test
    void pruneReportsTheDeletedNetworksOrNull() throws Exception {
        createNet1();
        UnixHttpClient.Response r = http.send("POST", "/v1.50/networks/prune?filters="
                + q("{\"until\":{\"24h\":true},\"label\":{\"a\":true}}"));
        assertEquals(200, r.status(), r.text());
        assertEquals("{\"NetworksDeleted\":[\"net1\"]}", r.json().toString());
        assertEquals(Map.of("label", List.of("a"), "until", List.of("24h")), api.networks.lastFilters);
        assertEquals("{\"NetworksDeleted\":null}", http.send("POST", "/networks/prune").json().toString(),
                "dockerd's nil slice");
        UnixHttpClient.Response bad = http.send("POST", "/networks/prune?filters=" + q("{\"driver\":[\"bridge\"]}"));
        assertEquals(400, bad.status());
        assertEquals("invalid filter 'driver'", bad.message());
        assertEquals(400, http.send("POST", "/v1.24/networks/prune").status(), "prune came with API 1.25");
    }

    @Test
    void withoutTheNetworkServiceNetworkRoutesAnswer503() throws Exception {
        api.networksRef.set(null);
        UnixHttpClient.Response r = http.get("/networks");
        assertEquals(503, r.status());
        assertEquals("networks are not available: the network service is not running", r.message());
        assertEquals(503, post("/networks/create", "{\"Name\":\"x\"}").status());
        assertEquals(503, http.send("DELETE", "/networks/x").status());
        assertEquals(200, http.get("/_ping").status());
        assertEquals(200, http.get("/containers/json").status());
        api.networksRef.set(api.networks);
        assertEquals(200, http.get("/networks").status());
    }

    // --- containers' network settings ---------------------------------------------------------------------------

    @Test
    void containerInspectWritesNetworkSettingsAsDockerd28() throws Exception {
        api.containers.create("web", new keel.engine.api.container.CreateRequest(
                keel.engine.api.container.ContainerConfig.builder().image("nginx").build(), HostConfig.EMPTY, null));
        Map<String, List<HostConfig.PortBinding>> ports = new java.util.HashMap<>();
        ports.put("80/tcp", List.of(new HostConfig.PortBinding("127.0.0.1", "8080"),
                new HostConfig.PortBinding("::1", "8080")));
        ports.put("443/tcp", List.of());
        ports.put("53/udp", null);
        api.containers.ports = ports;
        JsonNode ns = http.get("/v1.50/containers/web/json").json().get("NetworkSettings");
        assertEquals(List.of("Bridge", "SandboxID", "SandboxKey", "Ports", "HairpinMode", "LinkLocalIPv6Address",
                "LinkLocalIPv6PrefixLen", "SecondaryIPAddresses", "SecondaryIPv6Addresses", "EndpointID", "Gateway",
                "GlobalIPv6Address", "GlobalIPv6PrefixLen", "IPAddress", "IPPrefixLen", "IPv6Gateway", "MacAddress",
                "Networks"), names(ns));
        assertEquals("{\"443/tcp\":null,\"53/udp\":null,\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"},"
                + "{\"HostIp\":\"::1\",\"HostPort\":\"8080\"}]}", ns.get("Ports").toString(),
                "a PortMap: sorted keys, null for an exposed port that is not published");
        assertEquals(List.of("IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "GwPriority", "NetworkID",
                "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address",
                "GlobalIPv6PrefixLen", "DNSNames"), names(ns.at("/Networks/bridge")));
        assertEquals("172.17.0.2", ns.get("IPAddress").asText());
        assertEquals("", ns.get("Bridge").asText());
        assertFalse(ns.get("HairpinMode").asBoolean());
        assertTrue(ns.get("SecondaryIPAddresses").isNull());

        JsonNode row = http.get("/containers/json?all=1").json().get(0);
        assertEquals(List.of("IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "GwPriority", "NetworkID",
                "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address",
                "GlobalIPv6PrefixLen", "DNSNames"), names(row.at("/NetworkSettings/Networks/bridge")));
    }
}
