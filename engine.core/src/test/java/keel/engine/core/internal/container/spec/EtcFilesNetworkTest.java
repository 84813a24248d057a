package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig;

/**
 * The networks' part of a container's /etc files: resolv.conf for the embedded DNS server (moby resolvconf's
 * TransformForIntNS goldens), hosts lines for the container's addresses and --add-host, and the in-place updates
 * after connect and disconnect.
 */
class EtcFilesNetworkTest {

    static final String HEADER = EtcFilesTest.HEADER;

    @TempDir
    Path tmp;
    Path etcResolv;
    Path dir;
    EtcFiles files;

    @BeforeEach
    void setUp() throws IOException {
        etcResolv = tmp.resolve("host/etc/resolv.conf");
        Files.createDirectories(etcResolv.getParent());
        dir = tmp.resolve("containers/abc");
        files = new EtcFiles(etcResolv, tmp.resolve("host/run/systemd/resolve/resolv.conf"),
                tmp.resolve("host/etc/hosts"));
    }

    private String resolv(EtcFiles.Dns d) throws IOException {
        return new String(files.resolvConfContent(d), StandardCharsets.UTF_8);
    }

    private static EtcFiles.Dns internal(List<String> dns, List<String> options) {
        return new EtcFiles.Dns(dns, null, options, false, false, true);
    }

    @Test
    void withTheEmbeddedServerTheHostsNameserversBecomeItsUpstreams() throws IOException {
        Files.writeString(etcResolv, "nameserver 10.0.0.1\nnameserver 127.0.0.53\nsearch corp.example\n"
                + "options edns0\n");
        assertEquals(HEADER + "nameserver 127.0.0.11\nsearch corp.example\noptions edns0 ndots:0\n\n"
                + "# Based on host file: '" + etcResolv + "' (internal resolver)\n"
                + "# ExtServers: [host(10.0.0.1) host(127.0.0.53)]\n"
                + "# Overrides: []\n"
                + "# Option ndots from: internal\n", resolv(internal(null, null)));
        // --dns is asked from the container's namespace: no host(); a user's ndots is kept
        assertEquals(HEADER + "nameserver 127.0.0.11\nsearch corp.example\noptions ndots:2\n\n"
                + "# Based on host file: '" + etcResolv + "' (internal resolver)\n"
                + "# ExtServers: [1.1.1.1]\n"
                + "# Overrides: [nameservers options]\n"
                + "# Option ndots from: override\n", resolv(internal(List.of("1.1.1.1"), List.of("ndots:2"))));
        Files.writeString(etcResolv, "options ndots:-1\n");
        assertEquals(HEADER + "nameserver 127.0.0.11\noptions ndots:0\n\n"
                + "# Based on host file: '" + etcResolv + "' (internal resolver)\n"
                + "# NO EXTERNAL NAMESERVERS DEFINED\n"
                + "# Overrides: []\n"
                + "# Option ndots from: internal\n", resolv(internal(null, null)),
                "an ill-formed ndots is replaced");
    }

    @Test
    void theDefaultBridgeKeepsTheHostsResolversWithoutLoopbackOnes() throws IOException {
        Files.writeString(etcResolv, "nameserver 127.0.0.1\nnameserver ::1\n");
        assertEquals(HEADER + "nameserver 8.8.8.8\nnameserver 8.8.4.4\n\n"
                + "# Based on host file: '" + etcResolv + "' (legacy)\n"
                + "# Used default nameservers.\n"
                + "# Overrides: []\n", resolv(new EtcFiles.Dns(null, null, null, false, false, false)));
    }

    static HostConfig hc(String mode, List<String> extraHosts) {
        return new HostConfig(null, null, null, mode, null, null, null, null, null, null, null, null, null, null,
                null, null, extraHosts, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    @Test
    void connectAndDisconnectAddAndRemoveTheContainersLinesInPlace() throws IOException {
        Files.writeString(etcResolv, "nameserver 10.0.0.1\n");
        ContainerConfig config = ContainerConfig.builder().hostname("c0ffee").build();
        HostConfig hc = hc("bridge", List.of("db:198.18.50.5", "gw:host-gateway"));
        files.writeAll(dir, config, hc, "c0ffee", new EtcFiles.Network(List.of("198.18.0.2"),
                List.of("198.18.0.1"), false, List.of(), List.of(), List.of()), false);
        Path hosts = dir.resolve(EtcFiles.HOSTS);
        assertEquals("127.0.0.1\tlocalhost\n198.18.50.5\tdb\n198.18.0.1\tgw\n198.18.0.2\tc0ffee\n",
                Files.readString(hosts));
        Object inode = Files.readAttributes(hosts, BasicFileAttributes.class).fileKey();
        Files.writeString(hosts, "10.1.1.1\tmine\n", java.nio.file.StandardOpenOption.APPEND);

        files.updateNetwork(dir, config, hc, "c0ffee", new EtcFiles.Network(List.of("198.18.0.2", "198.18.9.3"),
                List.of("198.18.0.1"), true, List.of(), List.of(), List.of()), false);
        assertEquals("127.0.0.1\tlocalhost\n198.18.50.5\tdb\n198.18.0.1\tgw\n198.18.0.2\tc0ffee\n10.1.1.1\tmine\n"
                + "198.18.9.3\tc0ffee\n", Files.readString(hosts), "the user's line stays");
        assertTrue(Files.readString(dir.resolve(EtcFiles.RESOLV_CONF)).startsWith(HEADER
                + "nameserver 127.0.0.11\n"), "the embedded server from the first user-defined network on");
        assertEquals(inode, Files.readAttributes(hosts, BasicFileAttributes.class).fileKey(),
                "the same file: a bind mount of it sees the change");

        files.updateNetwork(dir, config, hc, "c0ffee", new EtcFiles.Network(List.of("198.18.9.3"),
                List.of("198.18.0.1"), true, List.of(), List.of(), List.of()), false);
        assertEquals("127.0.0.1\tlocalhost\n198.18.50.5\tdb\n198.18.0.1\tgw\n10.1.1.1\tmine\n198.18.9.3\tc0ffee\n",
                Files.readString(hosts));

        Files.writeString(dir.resolve(EtcFiles.RESOLV_CONF), "nameserver 9.9.9.9\n");
        files.updateNetwork(dir, config, hc, "c0ffee", new EtcFiles.Network(List.of(), List.of(), true, List.of(),
                List.of(), List.of()), false);
        assertEquals("nameserver 9.9.9.9\n", Files.readString(dir.resolve(EtcFiles.RESOLV_CONF)),
                "edited by the user: left alone, as Docker does");
    }

    @Test
    void aRewriteInPlaceNeverShowsATruncatedFile() throws IOException {
        Path f = tmp.resolve("f");
        Files.writeString(f, "a fairly long first version\n");
        EtcFiles.rewriteInPlace(f, "short\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("short\n", Files.readString(f));
        EtcFiles.rewriteInPlace(f, "a longer second version\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("a longer second version\n", Files.readString(f));
    }
}
