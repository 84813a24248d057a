package keel.engine.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.HostConfig;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;

/**
 * The real docker CLI (28.x) managing networks against the server with a fake engine: network create, ls (with
 * filters), inspect (raw and templated), connect, disconnect, rm and prune, then {@code docker port} and the PORTS
 * column of {@code docker ps}, which read the containers' published ports. Each command must exit as it does
 * against dockerd and print what it prints there.
 */
class DockerCliNetworkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ApiFixture api;

    record Run(int exit, String out, String err) {
        Run ok() {
            assertEquals(0, exit, "exit code; stderr: " + err + "\nstdout: " + out);
            assertEquals("", err, "stderr");
            return this;
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(dir.resolve("srv"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Run docker(String... args) throws Exception {
        DockerCliProcess.Result r = DockerCliProcess.run(dir, api.host(), Map.of("TZ", "UTC"), null, args);
        return new Run(r.exit(), r.out(), r.err());
    }

    private String createNet1() throws Exception {
        Run created = docker("network", "create", "--subnet", "198.18.7.0/24", "--gateway", "198.18.7.1",
                "--ip-range", "198.18.7.128/25", "--internal", "--label", "a=b", "-o",
                "com.docker.network.bridge.name=x", "net1").ok();
        String id = created.out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), created.out());
        return id;
    }

    @Test
    void createListAndInspect() throws Exception {
        String id = createNet1();
        NetworkCreateRequest c = api.networks.lastCreate;
        assertEquals("net1", c.name());
        assertEquals("bridge", c.driver());
        assertEquals(Boolean.TRUE, c.internal());
        assertEquals(new Ipam("default", List.of(new Ipam.Config("198.18.7.0/24", "198.18.7.128/25", "198.18.7.1",
                null)), Map.of()), c.ipam());
        assertEquals(Map.of("a", "b"), c.labels());
        assertEquals(Map.of("com.docker.network.bridge.name", "x"), c.options());

        String shortId = id.substring(0, 12);
        assertEquals("NETWORK ID     NAME      DRIVER    SCOPE\n"
                + FakeNetworkService.BRIDGE_ID.substring(0, 12) + "   bridge    bridge    local\n"
                + "h0h0h0h0h0h0   host      host      local\n"
                + shortId + "   net1      bridge    local\n"
                + "000000000000   none      null      local\n", docker("network", "ls").ok().out());
        Run bridges = docker("network", "ls", "--filter", "driver=bridge", "--format", "{{.Name}} {{.Internal}} "
                + "{{.Labels}} {{.IPv4}} {{.IPv6}} {{.CreatedAt}}").ok();
        assertEquals("bridge false  true false 2026-11-23 09:00:00.000000001 +0000 UTC\n"
                + "net1 true a=b true false 2026-11-23 10:00:00.123456789 +0000 UTC\n", bridges.out());
        assertEquals(Map.of("driver", List.of("bridge")), api.networks.lastFilters);
        assertEquals(shortId + "\n", docker("network", "ls", "-q", "-f", "label=a").ok().out());

        JsonNode inspect = JSON.readTree(docker("network", "inspect", "net1").ok().out()).get(0);
        assertEquals(id, inspect.get("Id").asText());
        assertEquals("198.18.7.128/25", inspect.at("/IPAM/Config/0/IPRange").asText());
        Run f = docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.IPRange}} {{.Gateway}}"
                + "{{end}} {{.Internal}} {{.Labels.a}} {{index .Options \"com.docker.network.bridge.name\"}} "
                + "{{.Scope}} {{.EnableIPv4}} {{.Created}}", shortId).ok();
        assertEquals("198.18.7.0/24 198.18.7.128/25 198.18.7.1 true b x local true 2026-11-23 10:00:00.123456789 "
                + "+0000 UTC\n", f.out());
        assertEquals("net1\n", docker("inspect", "-f", "{{.Name}}", "net1").ok().out(), "docker inspect finds it");
        assertEquals("null\n", docker("network", "inspect", "-f", "{{json .IPAM.Config}}", "host").ok().out());

        Run dup = docker("network", "create", "net1");
        assertEquals(1, dup.exit());
        assertEquals("Error response from daemon: network with name net1 already exists\n", dup.err());
        Run missing = docker("network", "inspect", "nope");
        assertEquals(1, missing.exit());
        assertEquals("[]\n", missing.out());
        assertEquals("Error response from daemon: network nope not found\n", missing.err());
    }

    @Test
    void connectDisconnectRemoveAndPrune() throws Exception {
        createNet1();
        docker("network", "create", "spare").ok();
        String c1 = docker("create", "--name", "c1", "busybox").ok().out().strip();

        docker("network", "connect", "--alias", "db", "--ip", "198.18.7.20", "net1", "c1").ok();
        EndpointSettings ep = api.networks.lastEndpoint;
        assertEquals("198.18.7.20", ep.ipamConfig().ipv4Address());
        assertEquals(List.of("db"), ep.aliases());
        assertEquals("connect net1 /c1", api.networks.calls.get(api.networks.calls.size() - 1));
        Run members = docker("network", "inspect", "-f", "{{range $id, $ep := .Containers}}{{$id}} {{$ep.Name}} "
                + "{{$ep.IPv4Address}}{{end}}", "net1").ok();
        assertEquals(c1 + " c1 198.18.7.20/16\n", members.out());

        Run twice = docker("network", "connect", "net1", "c1");
        assertEquals(1, twice.exit());
        assertEquals("Error response from daemon: endpoint with name c1 already exists in network net1\n",
                twice.err());

        Run busy = docker("network", "rm", "net1", "nope", "spare");
        assertEquals(1, busy.exit());
        assertEquals("spare\n", busy.out());
        assertTrue(busy.err().startsWith("Error response from daemon: error while removing network: network net1 id "),
                busy.err());
        assertTrue(busy.err().endsWith(" has active endpoints\nError response from daemon: network nope not found\n"
                + "exit status 1\n"), busy.err());

        docker("network", "disconnect", "-f", "net1", "c1").ok();
        assertEquals("disconnect net1 /c1 force=true", api.networks.calls.get(api.networks.calls.size() - 1));
        assertEquals("", docker("network", "rm", "-f", "nope").ok().out(), "-f: a missing network is no error");

        Run pruned = docker("network", "prune", "-f", "--filter", "label=a").ok();
        assertEquals("Deleted Networks:\nnet1\n\n", pruned.out());
        assertEquals(Map.of("label", List.of("a")), api.networks.lastFilters);
        assertEquals("", docker("network", "prune", "-f").ok().out(), "nothing left: nothing printed");
    }

    @Test
    void portPrintsThePublishedPorts() throws Exception {
        docker("create", "--name", "c1", "-p", "127.0.0.1:8080:80", "busybox").ok();
        Map<String, List<HostConfig.PortBinding>> ports = new LinkedHashMap<>();
        ports.put("80/tcp", List.of(new HostConfig.PortBinding("127.0.0.1", "8080"),
                new HostConfig.PortBinding("::1", "8080")));
        ports.put("443/tcp", null);
        ports.put("53/udp", List.of(new HostConfig.PortBinding("0.0.0.0", "5353")));
        api.containers.ports = ports;

        assertEquals("53/udp -> 0.0.0.0:5353\n80/tcp -> 127.0.0.1:8080\n80/tcp -> [::1]:8080\n",
                docker("port", "c1").ok().out());
        assertEquals("127.0.0.1:8080\n[::1]:8080\n", docker("port", "c1", "80").ok().out());
        assertEquals("0.0.0.0:5353\n", docker("container", "port", "c1", "53/udp").ok().out());
        Run unpublished = docker("port", "c1", "443");
        assertEquals(1, unpublished.exit());
        assertEquals("Error: No public port '443' published for c1\n", unpublished.err());

        api.containers.summaryPorts = List.of(new ContainerSummary.Port("127.0.0.1", 80, 8080, "tcp"),
                new ContainerSummary.Port("::1", 80, 8080, "tcp"), new ContainerSummary.Port(null, 443, null, "tcp"),
                new ContainerSummary.Port("0.0.0.0", 53, 5353, "udp"));
        Run ps = docker("ps", "-a", "--format", "{{.Names}}|{{.Ports}}").ok();
        assertEquals("c1|443/tcp, 0.0.0.0:5353->53/udp, 127.0.0.1:8080->80/tcp, [::1]:8080->80/tcp\n", ps.out());
        assertFalse(docker("ps", "-a").ok().out().isEmpty());
        assertTrue(docker("ps", "-a").ok().out().contains("127.0.0.1:8080->80/tcp"));
    }
}
