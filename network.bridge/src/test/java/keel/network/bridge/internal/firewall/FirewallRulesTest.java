package keel.network.bridge.internal.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import keel.network.bridge.internal.address.Ipv4Cidr;

/** The rules Keel writes, in the form iptables-save prints back, and their tags. */
class FirewallRulesTest {

    private final RuleTags tags = new RuleTags("keel");

    private List<String> lines(List<Rule> rules) {
        return rules.stream().map(Rule::toString).toList();
    }

    @Test
    void aNetworkWithTheProxyMasqueradesIsolatesAndReturnsHairpinToTheProxy() {
        List<String> l = lines(FirewallRules.network(new FirewallRules.NetworkRuleInput(tags.network("abcdef0123456789"),
                "br-x", Ipv4Cidr.parse("198.18.5.0/24"), false, true, true, true)));
        assertTrue(l.contains("-t nat -A KEEL-POSTROUTING -s 198.18.5.0/24 ! -o br-x -m comment --comment "
                + "keel-net:abcdef012345 -j MASQUERADE"), l.toString());
        assertTrue(l.contains("-t nat -I KEEL 1 -i br-x -m comment --comment keel-net:abcdef012345 -j RETURN"));
        assertTrue(l.contains("-t filter -A KEEL-ISOLATION-1 -i br-x ! -o br-x -m comment --comment "
                + "keel-net:abcdef012345 -j KEEL-ISOLATION-2"));
        assertTrue(l.contains("-t filter -A KEEL ! -i br-x -o br-x -m comment --comment keel-net:abcdef012345 -j DROP"));
        assertFalse(l.stream().anyMatch(s -> s.contains("127.0.0.0/8")), "loopback is the proxy's");
    }

    @Test
    void withoutTheProxyLoopbackIsNattedOntoTheBridgeAndForgedLoopbackDropped() {
        List<String> l = lines(FirewallRules.network(new FirewallRules.NetworkRuleInput("t", "br-x",
                Ipv4Cidr.parse("198.18.5.0/24"), false, true, true, false)));
        assertTrue(l.contains("-t nat -A KEEL-POSTROUTING -s 127.0.0.0/8 -o br-x -m comment --comment t -j MASQUERADE"));
        assertTrue(l.contains("-t raw -A KEEL-RAW -d 127.0.0.0/8 -i br-x -m comment --comment t -j DROP"));
        assertFalse(l.stream().anyMatch(s -> s.contains("RETURN")));
    }

    @Test
    void anInternalNetworkHasNoWayOut() {
        List<String> l = lines(FirewallRules.network(new FirewallRules.NetworkRuleInput("t", "br-i",
                Ipv4Cidr.parse("198.18.7.0/24"), true, true, false, true)));
        assertFalse(l.stream().anyMatch(s -> s.contains("MASQUERADE")));
        assertTrue(l.contains("-t filter -A KEEL-ISOLATION-1 ! -s 198.18.7.0/24 -o br-i -m comment --comment t -j DROP"));
        assertTrue(l.contains("-t filter -A KEEL-ISOLATION-1 ! -d 198.18.7.0/24 -i br-i -m comment --comment t -j DROP"));
        assertTrue(l.contains("-t filter -A KEEL-FORWARD -i br-i -o br-i -m comment --comment t -j DROP"), "icc off");
        assertFalse(l.stream().anyMatch(s -> s.contains("! -o br-i -m comment --comment t -j ACCEPT")));
    }

    @Test
    void aPortOnLoopbackGetsDnatAcceptAndARawGuard() {
        String tag = tags.port("net", "ep", "tcp", 80, "127.0.0.1", 8080);
        List<String> l = lines(FirewallRules.port(new FirewallRules.PortRuleInput(tag, "br-x", "tcp", "127.0.0.1", 8080,
                Ipv4Cidr.parse("198.18.5.2/24"), 80, false)));
        assertEquals(List.of(
                "-t nat -A KEEL -d 127.0.0.1/32 -p tcp -m tcp --dport 8080 -m comment --comment " + tag
                        + " -j DNAT --to-destination 198.18.5.2:80",
                "-t filter -I KEEL 1 -d 198.18.5.2/32 ! -i br-x -o br-x -p tcp -m tcp --dport 80 -m comment "
                        + "--comment " + tag + " -j ACCEPT",
                "-t nat -A KEEL-POSTROUTING -s 198.18.5.2/32 -d 198.18.5.2/32 -p tcp -m tcp --dport 80 -m comment "
                        + "--comment " + tag + " -j MASQUERADE",
                "-t raw -A KEEL-RAW -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport 8080 -m comment --comment " + tag
                        + " -j DROP"), l);
    }

    @Test
    void tagsNameTheirOwnerAndKeepTheBoundPort() {
        String tag = tags.port("0123456789abcdef", "fedcba9876543210", "udp", 53, "", 40000);
        assertEquals("keel-port:0123456789ab:fedcba987654:udp/53:*:40000", tag);
        RuleTags.PortTag t = tags.parsePort(tag).orElseThrow();
        assertEquals(40000, t.hostPort());
        assertEquals("", t.hostIp());
        assertTrue(tags.ofNetwork("0123456789abcdef").test(tag));
        assertTrue(tags.ofEndpoint("fedcba9876543210").test(tag));
        assertFalse(tags.ofEndpoint("fedcba987655").test(tag));
        assertFalse(new RuleTags("kt").isOurs(tag), "another owner's rules are not ours");
        assertEquals("a_b", RuleTags.shortId("a b"));
    }

    @Test
    void saveLinesSplitLikeIptablesRestore() {
        assertEquals(List.of("-A", "KEEL", "-m", "comment", "--comment", "a b\"c", "-j", "RETURN"),
                SavedRules.words("-A KEEL -m comment --comment \"a b\\\"c\" -j RETURN"));
        SavedRules s = SavedRules.parse("*nat\n:PREROUTING ACCEPT [0:0]\n:KEEL - [0:0]\n"
                + "-A KEEL -i br-x -m comment --comment \"keel-net:x\" -j RETURN\nCOMMIT\n*filter\n:FORWARD ACCEPT\nCOMMIT\n");
        assertTrue(s.hasChain("nat", "KEEL"));
        assertFalse(s.hasChain("filter", "KEEL"));
        assertEquals(1, s.tagged("nat", List.of("KEEL")).size());
        assertTrue(s.contains(new Rule("nat", "KEEL", List.of("-i", "br-x", "-m", "comment", "--comment",
                "keel-net:x", "-j", "RETURN"), true)));
    }

    @Test
    void batchesDeleteBeforeTheyAddPerTable() {
        Rule a = new Rule("nat", "KEEL", List.of("-j", "RETURN"), false);
        Rule b = new Rule("filter", "KEEL", List.of("-j", "ACCEPT"), true);
        assertEquals("*nat\n-D KEEL -j RETURN\nCOMMIT\n*filter\n-I KEEL 1 -j ACCEPT\nCOMMIT\n",
                KeelFirewall.batch(List.of(a), List.of(b)));
    }
}
