package keel.network.bridge.internal.firewall;

import java.util.ArrayList;
import java.util.List;

import keel.network.bridge.internal.address.Ipv4Cidr;

/**
 * The rules of a bridge network and of a published port, as Docker's bridge driver makes them (its nat and
 * filter rules of libnetwork/drivers/bridge), but in Keel's chains and tagged with their owner. Pure: nothing
 * here runs iptables.
 */
public final class FirewallRules {

    private FirewallRules() {}

    /** A network as its rules see it. */
    public record NetworkRuleInput(String tag, String bridge, Ipv4Cidr subnet, boolean internal, boolean masquerade,
            boolean icc, boolean userlandProxy) {}

    /** A published port as its rules see it; {@code hostIp} empty for every address. */
    public record PortRuleInput(String tag, String bridge, String protocol, String hostIp, int hostPort,
            Ipv4Cidr container, int containerPort, boolean userlandProxy) {}

    public static List<Rule> network(NetworkRuleInput n) {
        List<Rule> rules = new ArrayList<>();
        String br = n.bridge();
        String subnet = n.subnet().network().toString();
        if (!n.internal() && n.masquerade()) {
            // Containers reach the world with the host's address.
            rules.add(rule("nat", KeelFirewall.POSTROUTING, false, n.tag(), "-s", subnet, "!", "-o", br, "-j",
                    "MASQUERADE"));
        }
        if (!n.userlandProxy()) {
            // Without the proxy, 127.0.0.1:PORT is DNATed onto the bridge (route_localnet=1 lets the packet leave
            // loopback's range) and must get the bridge's source address, or the reply would go to 127.0.0.1
            // inside the container.
            rules.add(rule("nat", KeelFirewall.POSTROUTING, false, n.tag(), "-s", "127.0.0.0/8", "-o", br, "-j",
                    "MASQUERADE"));
            // route_localnet=1 would also let a container send to the host's 127.0.0.1 services through the
            // gateway (CVE-2020-8558 in kube-proxy); raw PREROUTING sees the packet before any conntrack
            // rewriting, so only such forged packets match.
            rules.add(rule("raw", KeelFirewall.RAW, false, n.tag(), "-d", "127.0.0.0/8", "-i", br, "-j", "DROP"));
        } else {
            // With the proxy, a container reaching a published port of the host (hairpin) goes to the proxy.
            rules.add(rule("nat", KeelFirewall.NAT, true, n.tag(), "-i", br, "-j", "RETURN"));
        }
        rules.add(rule("filter", KeelFirewall.CT, false, n.tag(), "-o", br, "-m", "conntrack", "--ctstate",
                "RELATED,ESTABLISHED", "-j", "ACCEPT"));
        rules.add(rule("filter", KeelFirewall.BRIDGE, false, n.tag(), "-o", br, "-j", KeelFirewall.PORTS));
        // Into the network from elsewhere only to published ports (accepted above this in KEEL).
        rules.add(rule("filter", KeelFirewall.PORTS, false, n.tag(), "!", "-i", br, "-o", br, "-j", "DROP"));
        if (n.internal()) {
            // No way out and no way in, whatever the destination.
            rules.add(rule("filter", KeelFirewall.ISOLATION_1, false, n.tag(), "!", "-s", subnet, "-o", br, "-j",
                    "DROP"));
            rules.add(rule("filter", KeelFirewall.ISOLATION_1, false, n.tag(), "!", "-d", subnet, "-i", br, "-j",
                    "DROP"));
        } else {
            rules.add(rule("filter", KeelFirewall.ISOLATION_1, false, n.tag(), "-i", br, "!", "-o", br, "-j",
                    KeelFirewall.ISOLATION_2));
        }
        // Stage 2: anything leaving another network is dropped when it would enter this one.
        rules.add(rule("filter", KeelFirewall.ISOLATION_2, false, n.tag(), "-o", br, "-j", "DROP"));
        rules.add(rule("filter", KeelFirewall.FORWARD, false, n.tag(), "-i", br, "-o", br, "-j",
                n.icc() ? "ACCEPT" : "DROP"));
        if (!n.internal()) {
            rules.add(rule("filter", KeelFirewall.FORWARD, false, n.tag(), "-i", br, "!", "-o", br, "-j", "ACCEPT"));
        }
        return rules;
    }

    public static List<Rule> port(PortRuleInput p) {
        List<Rule> rules = new ArrayList<>();
        String proto = p.protocol();
        String hostPort = String.valueOf(p.hostPort());
        String containerPort = String.valueOf(p.containerPort());
        String container = p.container().ip();
        boolean anyHost = p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0");
        List<String> dnat = new ArrayList<>();
        if (!anyHost) {
            dnat.addAll(List.of("-d", p.hostIp() + "/32"));
        }
        if (p.userlandProxy()) {
            // From the bridge itself the proxy answers (the network's RETURN rule); kept here too as Docker does.
            dnat.addAll(List.of("!", "-i", p.bridge()));
        }
        dnat.addAll(List.of("-p", proto, "-m", proto, "--dport", hostPort));
        dnat.addAll(tag(p.tag()));
        dnat.addAll(List.of("-j", "DNAT", "--to-destination", container + ":" + containerPort));
        rules.add(new Rule("nat", KeelFirewall.NAT, dnat, false));

        rules.add(rule("filter", KeelFirewall.PORTS, true, p.tag(), "-d", container + "/32", "!", "-i", p.bridge(),
                "-o", p.bridge(), "-p", proto, "-m", proto, "--dport", containerPort, "-j", "ACCEPT"));
        if (!p.userlandProxy()) {
            // Hairpin: a container reaching its own published port must see the reply come from the host.
            rules.add(rule("nat", KeelFirewall.POSTROUTING, false, p.tag(), "-s", container + "/32", "-d",
                    container + "/32", "-p", proto, "-m", proto, "--dport", containerPort, "-j", "MASQUERADE"));
        }
        if (!anyHost && Ipv4Cidr.parse(p.hostIp(), 32).address() >>> 24 == 127) {
            // A port published on loopback is for this host only: PREROUTING DNAT would otherwise forward a
            // packet for 127.0.0.1 arriving from the network (Docker drops these in raw too).
            rules.add(rule("raw", KeelFirewall.RAW, false, p.tag(), "-d", p.hostIp() + "/32", "!", "-i", "lo",
                    "-p", proto, "-m", proto, "--dport", hostPort, "-j", "DROP"));
        }
        return rules;
    }

    private static Rule rule(String table, String chain, boolean first, String tag, String... words) {
        List<String> spec = new ArrayList<>(List.of(words));
        int target = spec.lastIndexOf("-j");
        spec.addAll(target, tag(tag));
        return new Rule(table, chain, spec, first);
    }

    private static List<String> tag(String tag) {
        return List.of("-m", "comment", "--comment", tag);
    }
}
