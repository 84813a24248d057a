package keel.network.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.bridge.internal.BridgeNetworks;
import keel.network.bridge.internal.netlink.JnrNetlinkKernel;
import keel.network.bridge.internal.netlink.Rtnetlink;

/**
 * The DS component as the engine sees it, configured as DS would (here without iptables or ip_forward, so this
 * test leaves the daemon's "keel" rules alone): a network, a join, a leave, a deletion.
 */
class BridgeNetworkDriverTest extends KernelFixture {

    static BridgeNetworkDriver.Config config(boolean iptables, int mtu) {
        Map<String, Object> values = Map.of("userland_proxy", true, "iptables", iptables, "ip_forward", false,
                "mtu", mtu);
        return (BridgeNetworkDriver.Config) Proxy.newProxyInstance(BridgeNetworkDriverTest.class.getClassLoader(),
                new Class<?>[] {BridgeNetworkDriver.Config.class}, (p, m, args) -> values.get(m.getName()));
    }

    @Test
    void theComponentIsTheBridgeDriver() throws Exception {
        BridgeNetworkDriver driver = new BridgeNetworkDriver();
        driver.activate(config(false, 1450));
        NetworkSpec n = network(9, false, Map.of());
        try {
            NetworkDriver d = driver;
            assertEquals("bridge", d.name());
            d.createNetwork(n);
            Sandbox s = sandbox("a");
            EndpointSpec ep = endpoint("198.18.9.2/24");
            EndpointResult r = d.join(n, ep, s);
            assertEquals(new EndpointResult("eth0", "198.18.9.2/24", "198.18.9.1", "02:42:c6:12:09:02"), r);
            try (Rtnetlink nl = Rtnetlink.open(JnrNetlinkKernel.instance())) {
                assertEquals(1450, nl.link(bridgeOf(n)).orElseThrow().mtu(), "the configured default MTU");
                assertTrue(nl.link(BridgeNetworks.vethName(ep.id())).isPresent());
                d.leave(n, ep, s);
                assertTrue(nl.link(BridgeNetworks.vethName(ep.id())).isEmpty());
                d.restore(List.of(n), List.of());
                d.deleteNetwork(n);
                assertTrue(nl.link(bridgeOf(n)).isEmpty());
            }
        } finally {
            driver.deactivate();
        }
    }
}
