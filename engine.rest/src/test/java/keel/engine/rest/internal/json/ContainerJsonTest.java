package keel.engine.rest.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

import keel.engine.api.container.ContainerState;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.ExecDetails;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.MountPoint;

/** The container records' keys against swagger / dockerd's Go structs, both ways where clients send them. */
class ContainerJsonTest {
    private final DockerJson json = new DockerJson();

    @Test
    void stateSaysOomKilledAsGoDoes() {
        JsonNode n = json.tree(new ContainerState("exited", false, false, false, true, false, 0, 137, "",
                "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z"));
        assertEquals(List.of("Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode",
                "Error", "StartedAt", "FinishedAt"), names(n));
    }

    @Test
    void endpointSettingsUseGoInitialismsBothWays() throws Exception {
        EndpointSettings ep = new EndpointSettings(new EndpointSettings.IpamConfig("10.0.0.9", null), List.of("a"),
                "02:42:00:00:00:01", List.of("web"), Map.of("k", "v"), "n1", "e1", "10.0.0.1", "10.0.0.9", 24,
                "fd00::1", "fd00::9", 64, List.of("web", "abc"));
        JsonNode n = json.tree(ep);
        assertEquals(List.of("IPAMConfig", "Links", "MacAddress", "Aliases", "DriverOpts", "NetworkID",
                "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address",
                "GlobalIPv6PrefixLen", "DNSNames"), names(n));
        assertEquals("{\"IPv4Address\":\"10.0.0.9\"}", n.get("IPAMConfig").toString(), "omitempty");
        assertEquals(ep, json.read(n, EndpointSettings.class));
        EndpointSettings asSent = json.read(json.read("{\"IPAMConfig\":{\"IPv4Address\":\"172.18.0.5\","
                + "\"IPv6Address\":\"fd00::5\"},\"Aliases\":[\"db\"],\"IPAddress\":\"x\",\"IPPrefixLen\":16}"),
                EndpointSettings.class);
        assertEquals("172.18.0.5", asSent.ipamConfig().ipv4Address());
        assertEquals("fd00::5", asSent.ipamConfig().ipv6Address());
        assertEquals("x", asSent.ipAddress());
        assertEquals(16, asSent.ipPrefixLen());
    }

    @Test
    void hostConfigKeysMatchSwagger() throws Exception {
        HostConfig h = json.read(json.read("{\"UTSMode\":\"host\",\"CpuShares\":2,\"NanoCpus\":3,\"PidsLimit\":4,"
                + "\"OomKillDisable\":true,\"OomScoreAdj\":5,\"ReadonlyRootfs\":true,\"CapAdd\":[\"X\"],"
                + "\"IpcMode\":\"host\",\"PidMode\":\"host\",\"UsernsMode\":\"host\",\"ShmSize\":6,\"Dns\":[\"1\"],"
                + "\"DnsOptions\":[\"2\"],\"DnsSearch\":[\"3\"],\"ExtraHosts\":[\"h:1\"],\"CgroupnsMode\":\"host\","
                + "\"ContainerIDFile\":\"/f\",\"MemorySwappiness\":10,\"CpusetCpus\":\"0\"}"), HostConfig.class);
        assertEquals("host", h.utsMode());
        assertEquals(2L, h.cpuShares());
        assertEquals(3L, h.nanoCpus());
        assertEquals(4L, h.pidsLimit());
        assertEquals(Boolean.TRUE, h.oomKillDisable());
        assertEquals(5, h.oomScoreAdj());
        assertEquals(Boolean.TRUE, h.readonlyRootfs());
        assertEquals(List.of("X"), h.capAdd());
        assertEquals("host", h.ipcMode());
        assertEquals("host", h.pidMode());
        assertEquals("host", h.usernsMode());
        assertEquals(6L, h.shmSize());
        assertEquals(List.of("1"), h.dns());
        assertEquals(List.of("2"), h.dnsOptions());
        assertEquals(List.of("3"), h.dnsSearch());
        assertEquals(List.of("h:1"), h.extraHosts());
        assertEquals("host", h.cgroupnsMode());
        assertEquals("/f", h.containerIDFile());
        assertEquals(10L, h.memorySwappiness());
        assertEquals("0", h.cpusetCpus());
        JsonNode n = json.tree(h);
        for (String key : List.of("UTSMode", "CpuShares", "NanoCpus", "PidsLimit", "OomKillDisable", "OomScoreAdj",
                "ReadonlyRootfs", "CapAdd", "IpcMode", "PidMode", "UsernsMode", "ShmSize", "Dns", "DnsOptions",
                "DnsSearch", "ExtraHosts", "CgroupnsMode", "ContainerIDFile", "MemorySwappiness", "CpusetCpus")) {
            assertTrue(n.has(key), key);
        }
        assertFalse(n.has("UtsMode"));
    }

    @Test
    void mountPointPortAndExecKeys() {
        assertEquals("{\"Type\":\"bind\",\"Source\":\"/a\",\"Destination\":\"/b\",\"Mode\":\"ro\",\"RW\":false,"
                + "\"Propagation\":\"rprivate\"}",
                json.tree(new MountPoint("bind", "", "/a", "/b", null, "ro", false, "rprivate")).toString());
        assertEquals("{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"}",
                json.tree(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp")).toString());
        assertEquals("{\"PrivatePort\":53,\"Type\":\"udp\"}",
                json.tree(new ContainerSummary.Port(null, 53, null, "udp")).toString());
        JsonNode exec = json.tree(new ExecDetails("e1", true, null, new ExecDetails.ProcessConfig(true, "sh",
                List.of("-c", "x"), null, ""), true, true, true, false, "c1", null, 9));
        assertEquals(List.of("ID", "Running", "ExitCode", "ProcessConfig", "OpenStdin", "OpenStderr", "OpenStdout",
                "CanRemove", "ContainerID", "DetachKeys", "Pid"), names(exec));
        assertEquals("{\"tty\":true,\"entrypoint\":\"sh\",\"arguments\":[\"-c\",\"x\"]}",
                exec.get("ProcessConfig").toString());
    }

    @Test
    void requestsAreReadAsGoReadsThem() throws Exception {
        ExecConfig e = json.read(json.read("{\"cmd\":\"ls -l\",\"TTY\":true,\"ConsoleSize\":[24,80],\"New\":1}"),
                ExecConfig.class);
        assertEquals(List.of("ls -l"), e.cmd(), "a string for a list, keys in any case");
        assertEquals(Boolean.TRUE, e.tty());
        assertEquals(List.of(24, 80), e.consoleSize());
        for (String bad : List.of("{\"Tty\":\"true\"}", "{\"Tty\":1}", "{\"ConsoleSize\":[\"24\"]}",
                "{\"ConsoleSize\":[2.5]}", "{\"User\":7}")) {
            assertThrows(JacksonException.class, () -> json.read(json.read(bad), ExecConfig.class), bad);
        }
        assertThrows(JacksonException.class, () -> json.read("{} {}"));
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
