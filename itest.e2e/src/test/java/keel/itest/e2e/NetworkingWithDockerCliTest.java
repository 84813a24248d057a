package keel.itest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Docker's networking with the real docker CLI against a real keeld: a user-defined network where containers
 * reach each other by name and alias, a port published on 127.0.0.1, none and host modes, connect and disconnect
 * on a running container. The daemon uses only test subnets (198.18.0.0/15) and a bridge name of the test's own,
 * and the test checks that nothing of it is left on the host afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkingWithDockerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HTTPD = "mkdir -p /www && echo hello-from-$(hostname) > /www/index.html && "
            + "exec httpd -f -p 80 -h /www";

    KeelDaemon d;
    final String tag = UUID.randomUUID().toString().substring(0, 6);
    final String bridge = "kte" + tag;
    String networkId = "";

    @BeforeAll
    void start() throws Exception {
        d = KeelDaemon.start("--bip", "198.18.200.1/24", "-b", bridge, "--default-address-pool",
                "base=198.19.0.0/16,size=24");
        Images.loadBusybox(d);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            for (String c : Cli.docker(d, "ps", "-aq").out().split("\\s+")) {
                if (!c.isBlank()) {
                    Cli.docker(d, "rm", "-f", c);
                }
            }
            Cli.docker(d, "network", "rm", "e2enet");
            String userBridge = networkId.length() < 12 ? "br-?" : "br-" + networkId.substring(0, 12);
            d.stop();
            // Only the default bridge outlives the daemon (as docker0 does dockerd): no veth of a container, no
            // bridge or rule of the removed user network.
            String links = TestBridge.run("ip", "-o", "link", "show");
            assertFalse(links.contains("master " + bridge), "a veth is left on the default bridge:\n" + links);
            assertFalse(links.contains(userBridge), "the user network's bridge is left:\n" + links);
            String nat = TestBridge.run("iptables-save");
            assertFalse(nat.contains("198.19."), "rules of the test's user network are left:\n" + nat);
        } finally {
            d.close();
            // As dockerd, keeld keeps the default bridge and its rules when it stops; the test's own go here.
            TestBridge.remove(bridge);
        }
    }

    @Test
    @Order(1)
    void containersOnAUserDefinedNetworkReachEachOtherByNameAndAlias() throws Exception {
        networkId = Cli.docker(d, "network", "create", "e2enet").ok().out().trim();
        JsonNode net = JSON.readTree(Cli.docker(d, "network", "inspect", "e2enet").ok().out()).get(0);
        String subnet = net.get("IPAM").get("Config").get(0).get("Subnet").asText();
        assertTrue(subnet.startsWith("198.19."), subnet);

        Cli.docker(d, "run", "-d", "--name", "web", "--network", "e2enet", "--network-alias", "www", "busybox", "sh",
                "-c", HTTPD).ok();
        String id = Cli.docker(d, "inspect", "-f", "{{.Id}}", "web").ok().out().trim();
        assertEquals("hello-from-" + id.substring(0, 12) + "\n", fetchFrom("e2enet", "http://web/"));
        assertEquals("hello-from-" + id.substring(0, 12) + "\n", fetchFrom("e2enet", "http://www/"));
        Cli.docker(d, "run", "--rm", "--network", "e2enet", "busybox", "ping", "-c", "1", "-W", "3", "web").ok();

        JsonNode inspected = JSON.readTree(Cli.docker(d, "network", "inspect", "e2enet").ok().out()).get(0);
        JsonNode containers = inspected.get("Containers");
        assertTrue(containers.has(id), inspected.toString());
        assertEquals("web", containers.get(id).get("Name").asText());
        assertTrue(containers.get(id).get("IPv4Address").asText().startsWith(subnet.substring(0,
                subnet.lastIndexOf('.'))), containers.toString());
    }

    @Test
    @Order(2)
    void aPublishedPortServesTheHost() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Cli.docker(d, "run", "-d", "--name", "pub", "-p", "127.0.0.1:" + port + ":80", "busybox", "sh", "-c", HTTPD)
                .ok();
        String id = Cli.docker(d, "inspect", "-f", "{{.Id}}", "pub").ok().out().trim();
        assertEquals("80/tcp -> 127.0.0.1:" + port + "\n", Cli.docker(d, "port", "pub").ok().out());
        String ps = Cli.docker(d, "ps", "--filter", "name=pub", "--format", "{{.Ports}}").ok().out();
        assertEquals("127.0.0.1:" + port + "->80/tcp\n", ps);
        assertEquals("hello-from-" + id.substring(0, 12) + "\n", httpGet("http://127.0.0.1:" + port + "/"));

        Cli.Result taken = Cli.docker(d, "run", "-d", "--name", "pub2", "-p", "127.0.0.1:" + port + ":80", "busybox",
                "sleep", "30");
        assertTrue(taken.err().contains("port is already allocated"), taken.err());
        Cli.docker(d, "rm", "-f", "pub2");
    }

    @Test
    @Order(3)
    void noneHasOnlyLoopbackAndHostSharesTheHostsInterfaces() throws Exception {
        String none = Cli.docker(d, "run", "--rm", "--network", "none", "busybox", "ip", "-o", "link").ok().out();
        List<String> links = none.lines().map(l -> l.split(":")[1].trim()).toList();
        assertEquals(List.of("lo"), links, none);
        assertTrue(none.contains("UP"), none);
        String host = Cli.docker(d, "run", "--rm", "--network", "host", "busybox", "ip", "-o", "link").ok().out();
        assertTrue(host.contains(bridge), "--network host sees the host's interfaces:\n" + host);
    }

    @Test
    @Order(4)
    void connectAndDisconnectARunningContainer() throws Exception {
        Cli.docker(d, "run", "-d", "--name", "roamer", "busybox", "sh", "-c", HTTPD).ok();
        String before = Cli.docker(d, "exec", "roamer", "ip", "-o", "-4", "addr").ok().out();
        assertTrue(before.contains("198.18.200."), "on the default bridge first:\n" + before);
        assertFalse(before.contains("eth1"), before);

        Cli.docker(d, "network", "connect", "--alias", "wanderer", "e2enet", "roamer").ok();
        String after = Cli.docker(d, "exec", "roamer", "ip", "-o", "-4", "addr").ok().out();
        assertTrue(after.contains("eth1") && after.contains("198.19."), after);
        String id = Cli.docker(d, "inspect", "-f", "{{.Id}}", "roamer").ok().out().trim();
        assertEquals("hello-from-" + id.substring(0, 12) + "\n", fetchFrom("e2enet", "http://wanderer/"));
        JsonNode nets = JSON.readTree(Cli.docker(d, "inspect", "roamer").ok().out()).get(0).get("NetworkSettings")
                .get("Networks");
        assertTrue(nets.has("e2enet") && nets.has("bridge"), nets.toString());

        Cli.docker(d, "network", "disconnect", "e2enet", "roamer").ok();
        String gone = Cli.docker(d, "exec", "roamer", "ip", "-o", "-4", "addr").ok().out();
        assertFalse(gone.contains("eth1"), gone);
        Cli.Result unknown = Cli.docker(d, "run", "--rm", "--network", "e2enet", "busybox", "nslookup", "wanderer");
        assertTrue(unknown.exit() != 0 || unknown.out().contains("NXDOMAIN") || unknown.out().contains("can't find"),
                unknown.toString());
    }

    /**
     * What a container on {@code network} gets from {@code url} (busybox wget, bounded by busybox timeout: the
     * wget of Debian's busybox-static 1.35 crashes on its own -T option).
     */
    private String fetchFrom(String network, String url) throws Exception {
        return Cli.docker(d, "run", "--rm", "--network", network, "busybox", "timeout", "10", "wget", "-q", "-O", "-",
                url).ok().out();
    }

    private static String httpGet(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }
}
