package keel.network.bridge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import keel.engine.api.network.EndpointResult;
import keel.engine.api.network.EndpointSpec;
import keel.engine.api.network.NetworkDriver;
import keel.engine.api.network.NetworkSpec;
import keel.engine.api.network.Sandbox;
import keel.network.bridge.internal.BridgeNetworks;
import keel.network.bridge.internal.BridgeSettings;
import keel.network.bridge.internal.Joined;
import keel.network.bridge.internal.ProcSysctl;
import keel.network.bridge.internal.firewall.ProcessIptables;
import keel.network.bridge.internal.netlink.JnrNetlinkKernel;

/**
 * Docker's {@code bridge} network driver: Linux bridges and veth pairs through rtnetlink, NAT and isolation in
 * Keel's own iptables chains, published ports held by a userland proxy. A new configuration restarts the
 * component; bridges, veths and rules stay, and the engine's {@code restore} brings the proxies back.
 */
@Component(service = NetworkDriver.class, property = NetworkDriver.NAME_PROPERTY + "=bridge",
        configurationPid = "keel.network.bridge", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BridgeNetworkDriver.Config.class)
public class BridgeNetworkDriver implements NetworkDriver {

    @ObjectClassDefinition(name = "Keel bridge network driver",
            description = "dockerd's bridge options: userland-proxy, iptables, ip-forward, mtu")
    public @interface Config {
        @AttributeDefinition(description = "Forward published ports with the userland proxy too (dockerd's "
                + "userland-proxy); when false NAT alone does, 127.0.0.1 included")
        boolean userland_proxy() default true;

        @AttributeDefinition(description = "Write NAT and filter rules (dockerd's iptables)")
        boolean iptables() default true;

        @AttributeDefinition(description = "Set net.ipv4.ip_forward=1, host-wide (dockerd's ip-forward)")
        boolean ip_forward() default true;

        @AttributeDefinition(description = "Default MTU of bridges and container interfaces", min = "68",
                max = "65535")
        int mtu() default 1500;
    }

    private BridgeNetworks networks;

    @Activate
    void activate(Config config) throws IOException {
        BridgeSettings s = BridgeSettings.defaults();
        BridgeSettings settings = new BridgeSettings(config.userland_proxy(), config.iptables(), config.ip_forward(),
                config.mtu(), s.owner(), s.udpTimeout());
        networks = new BridgeNetworks(settings, JnrNetlinkKernel.instance(),
                settings.iptables() ? ProcessIptables.locate() : null, new ProcSysctl(Path.of("/proc/sys")));
    }

    @Deactivate
    void deactivate() {
        networks.close();
    }

    @Override
    public String name() {
        return "bridge";
    }

    @Override
    public void createNetwork(NetworkSpec network) throws IOException {
        networks.createNetwork(network);
    }

    @Override
    public void deleteNetwork(NetworkSpec network) throws IOException {
        networks.deleteNetwork(network);
    }

    @Override
    public EndpointResult join(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) throws IOException {
        Joined joined = networks.join(network, endpoint, sandbox);
        EndpointResult r = joined.result();
        return new EndpointResult(r.interfaceName(), r.ipv4Address(), r.gateway(), r.macAddress(), joined.ports());
    }

    @Override
    public void leave(NetworkSpec network, EndpointSpec endpoint, Sandbox sandbox) throws IOException {
        networks.leave(network, endpoint, sandbox);
    }

    @Override
    public void restore(List<NetworkSpec> specs, List<EndpointSpec> endpoints) throws IOException {
        networks.restore(specs, endpoints);
    }
}
