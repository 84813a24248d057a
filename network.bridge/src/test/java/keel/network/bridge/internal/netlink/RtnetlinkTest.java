package keel.network.bridge.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.network.Sandbox;
import keel.network.bridge.internal.address.Ipv4Cidr;
import keel.network.bridge.internal.address.MacAddress;
import keel.runtime.linux.NetnsSandboxFactory;

/** rtnetlink against the running kernel: a bridge, a veth into a namespace, addresses, routes, errors. */
class RtnetlinkTest {

    private static final NetlinkKernel K = JnrNetlinkKernel.instance();

    @TempDir
    Path work;

    @Test
    void bridgeVethAddressesAndRoutesEndToEnd() throws Exception {
        String bridge = "kt-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
        NetnsSandboxFactory factory = new NetnsSandboxFactory();
        Path nsPath = work.resolve("netns").resolve("rt");
        try (Rtnetlink host = Rtnetlink.open(K)) {
            try {
                MacAddress mac = MacAddress.random();
                host.createBridge(bridge, 1400, mac);
                Link b = host.link(bridge).orElseThrow();
                assertEquals("bridge", b.kind());
                assertEquals(1400, b.mtu());
                assertTrue(b.isUp());
                assertEquals(mac.toString(), b.mac());
                ErrnoException again = assertThrows(ErrnoException.class, () -> host.createBridge(bridge, 1400, mac));
                assertEquals(ErrnoException.EEXIST, again.errno());
                assertTrue(again.getMessage().contains("File exists"), again.getMessage());

                MacAddress other = MacAddress.random();
                host.setMac(b.index(), other);
                host.setUp(b.index(), false);
                assertFalse(host.link(bridge).orElseThrow().isUp());
                assertEquals(other.toString(), host.link(bridge).orElseThrow().mac());
                host.setUp(b.index(), true);

                host.setAlias(b.index(), "kt-network:x");
                host.addAddress(b.index(), Ipv4Cidr.parse("198.18.9.1/24"));
                host.addAddress(b.index(), Ipv4Cidr.parse("198.18.9.1/24")); // replace: idempotent
                assertEquals(List.of(Ipv4Cidr.parse("198.18.9.1/24")), host.addresses(b.index()));
                assertEquals("kt-network:x", host.link(bridge).orElseThrow().alias());

                Sandbox s = factory.create("rt", nsPath);
                Rtnetlink inside = s.call(() -> Rtnetlink.open(K));
                try {
                    int ns = host.openNamespace(nsPath.toString());
                    MacAddress peerMac = MacAddress.parse("02:42:c6:12:09:02");
                    try {
                        host.createVeth(new Rtnetlink.VethPair("kt-v0", b.index(), 1400, "eth0", peerMac, ns));
                    } finally {
                        host.closeFd(ns);
                    }
                    Link hostEnd = host.link("kt-v0").orElseThrow();
                    assertEquals(b.index(), hostEnd.master());
                    assertEquals("veth", hostEnd.kind());
                    assertTrue(host.link("eth0").map(l -> !l.kind().equals("veth") || l.master() != b.index())
                            .orElse(true), "the peer is not in the host's namespace");
                    Link eth0 = inside.link("eth0").orElseThrow();
                    assertFalse(eth0.isUp(), "a veth peer cannot be made up");
                    inside.rename(eth0.index(), "eth7"); // only while down
                    assertEquals(eth0.index(), inside.link("eth7").orElseThrow().index());
                    inside.rename(eth0.index(), "eth0");
                    host.setMaster(hostEnd.index(), 0);
                    assertEquals(0, host.link("kt-v0").orElseThrow().master());
                    host.setMaster(hostEnd.index(), b.index());
                    assertEquals(b.index(), host.link("kt-v0").orElseThrow().master());
                    inside.setUp(eth0.index(), true);
                    assertTrue(inside.link("eth0").orElseThrow().isUp());
                    assertEquals(1400, eth0.mtu());
                    assertEquals(peerMac.toString(), eth0.mac());

                    inside.addAddress(eth0.index(), Ipv4Cidr.parse("198.18.9.2/24"));
                    int gw = Ipv4Cidr.parse("198.18.9.1/32").address();
                    assertTrue(inside.addDefaultRouteIfAbsent(gw, eth0.index()));
                    assertFalse(inside.addDefaultRouteIfAbsent(gw, eth0.index()), "the first default route stays");
                    Optional<Route> dflt = inside.routes().stream().filter(Route::isDefault).findFirst();
                    assertEquals(gw, dflt.orElseThrow().gateway());
                    assertEquals(eth0.index(), dflt.get().outputInterface());

                    assertTrue(host.deleteLink("kt-v0"));
                    assertFalse(host.deleteLink("kt-v0"), "gone: ENODEV is not an error");
                    assertTrue(inside.link("eth0").isEmpty(), "deleting one end deletes the pair");
                } finally {
                    inside.close();
                }
            } finally {
                host.deleteLink("kt-v0");
                host.deleteLink(bridge);
                factory.delete(nsPath);
                new ProcessBuilder("umount", "-l", nsPath.getParent().toString()).start().waitFor();
            }
        }
    }

    @Test
    void theKernelsExtendedAckTextReachesTheError() throws Exception {
        try (Rtnetlink host = Rtnetlink.open(K)) {
            NetlinkSocket s = NetlinkSocket.open(K);
            try {
                NetlinkRequest r = NetlinkRequest.of(Rtnetlink.RTM_NEWLINK,
                        NetlinkRequest.NLM_F_CREATE | NetlinkRequest.NLM_F_EXCL).ifinfomsg(0, 0, 0, 0)
                        .attrString(Rtnetlink.IFLA_IFNAME, "kt-nokind");
                int info = r.nest(Rtnetlink.IFLA_LINKINFO);
                r.attrString(Rtnetlink.IFLA_INFO_KIND, "no-such-kind");
                r.end(info);
                ErrnoException e = assertThrows(ErrnoException.class, () -> s.execute(r, "create kt-nokind"));
                assertTrue(e.getMessage().startsWith("create kt-nokind: "), e.getMessage());
                assertTrue(e.getMessage().contains("Unknown device type"), e.getMessage());
            } finally {
                s.close();
                host.deleteLink("kt-nokind");
            }
        }
    }
}
