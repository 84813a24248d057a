package keel.network.bridge.internal.firewall;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Keel's iptables chains. Every rule Keel makes lives in a chain of its own; the built-in chains only get one
 * jump each, added once (checked with {@code -C} before {@code -I}). Nothing here flushes a chain or touches a
 * rule it did not make: rules are removed one by one, by their exact spec, and only those carrying Keel's tags.
 *
 * <pre>
 * raw    PREROUTING  -j KEEL-RAW                  drops for loopback-published ports and martians on bridges
 * nat    PREROUTING  -m addrtype --dst-type LOCAL -j KEEL          DNAT of published ports
 * nat    OUTPUT      [! -d 127.0.0.0/8] -m addrtype --dst-type LOCAL -j KEEL   (the host's own connections;
 *                    loopback goes to the userland proxy when it runs, as with dockerd)
 * nat    POSTROUTING -j KEEL-POSTROUTING          MASQUERADE out of a network, hairpin, 127/8 onto a bridge
 * filter FORWARD     -j KEEL-FORWARD
 *        KEEL-FORWARD: -j KEEL-CT, -j KEEL-ISOLATION-1, -j KEEL-BRIDGE, then per network icc and way-out rules
 *        KEEL-CT: established traffic back into a network; KEEL-BRIDGE: -o BRIDGE -j KEEL (published ports
 *        accepted, the rest dropped); KEEL-ISOLATION-1/2: one network never reaches another
 * </pre>
 */
public final class KeelFirewall {

    public static final String RAW = "KEEL-RAW";
    public static final String NAT = "KEEL";
    public static final String POSTROUTING = "KEEL-POSTROUTING";
    public static final String FORWARD = "KEEL-FORWARD";
    public static final String CT = "KEEL-CT";
    public static final String ISOLATION_1 = "KEEL-ISOLATION-1";
    public static final String ISOLATION_2 = "KEEL-ISOLATION-2";
    public static final String BRIDGE = "KEEL-BRIDGE";
    /** The filter table's per-port chain, named like nat's (as Docker's DOCKER exists in both). */
    public static final String PORTS = "KEEL";

    /** Keel's chains by table, in creation order (a chain must exist before a jump to it). */
    static final Map<String, List<String>> CHAINS = new LinkedHashMap<>();

    static {
        CHAINS.put("raw", List.of(RAW));
        CHAINS.put("nat", List.of(NAT, POSTROUTING));
        CHAINS.put("filter", List.of(ISOLATION_2, ISOLATION_1, CT, PORTS, BRIDGE, FORWARD));
    }

    /** The first rules of KEEL-FORWARD, in this order, before any network's own. */
    static final List<List<String>> FORWARD_BASE = List.of(
            List.of("-j", CT),
            List.of("-j", ISOLATION_1),
            List.of("-j", BRIDGE));

    static final List<String> OUTPUT_ALL = List.of("-m", "addrtype", "--dst-type", "LOCAL", "-j", NAT);
    static final List<String> OUTPUT_NOT_LOOPBACK =
            List.of("!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL", "-j", NAT);

    private final Iptables iptables;

    public KeelFirewall(Iptables iptables) {
        this.iptables = iptables;
    }

    /** The jumps from the built-in chains; OUTPUT's depends on whether the userland proxy serves loopback. */
    static List<Rule> jumps(boolean userlandProxy) {
        return List.of(
                new Rule("raw", "PREROUTING", List.of("-j", RAW), true),
                new Rule("nat", "PREROUTING", List.of("-m", "addrtype", "--dst-type", "LOCAL", "-j", NAT), true),
                new Rule("nat", "OUTPUT", userlandProxy ? OUTPUT_NOT_LOOPBACK : OUTPUT_ALL, true),
                new Rule("nat", "POSTROUTING", List.of("-j", POSTROUTING), true),
                new Rule("filter", "FORWARD", List.of("-j", FORWARD), true));
    }

    /**
     * Creates Keel's chains, KEEL-FORWARD's first rules and the jumps from the built-in chains where missing.
     * The OUTPUT jump of the other proxy mode, if a previous configuration left it, is replaced.
     */
    public synchronized void ensureChains(boolean userlandProxy) throws IOException {
        SavedRules saved = SavedRules.parse(iptables.save());
        for (Map.Entry<String, List<String>> e : CHAINS.entrySet()) {
            for (String chain : e.getValue()) {
                if (!saved.hasChain(e.getKey(), chain)) {
                    Iptables.Result r = iptables.run(List.of("-t", e.getKey(), "-N", chain));
                    if (!r.ok() && !r.output().contains("exists")) {
                        throw new IOException("iptables -t " + e.getKey() + " -N " + chain + ": " + r.output().trim());
                    }
                }
            }
        }
        List<List<String>> forward = saved.rules("filter", FORWARD);
        int position = 1;
        for (List<String> base : FORWARD_BASE) {
            if (!forward.contains(base)) {
                List<String> args = new ArrayList<>(List.of("-t", "filter", "-I", FORWARD, String.valueOf(position)));
                args.addAll(base);
                check(iptables.run(args), args);
            }
            position++;
        }
        Rule stale = new Rule("nat", "OUTPUT", userlandProxy ? OUTPUT_ALL : OUTPUT_NOT_LOOPBACK, true);
        if (saved.contains(stale)) {
            check(iptables.run(stale.args("-D")), stale.args("-D"));
        }
        for (Rule jump : jumps(userlandProxy)) {
            if (saved.contains(jump)) {
                continue;
            }
            // iptables-save's text may differ from ours in form only: -C compares what the kernel holds.
            if (!iptables.run(jump.args("-C")).ok()) {
                check(iptables.run(jump.args("-I")), jump.args("-I"));
            }
        }
    }

    /**
     * Removes Keel's chains and the jumps to them when no rule of any owner is left in them (KEEL-FORWARD's own
     * first rules aside): what an uninstall, or a test that made them, leaves behind otherwise. Returns whether
     * they were removed.
     */
    public synchronized boolean removeChainsIfUnused() throws IOException {
        SavedRules saved = SavedRules.parse(iptables.save());
        for (Map.Entry<String, List<String>> e : CHAINS.entrySet()) {
            for (String chain : e.getValue()) {
                List<List<String>> rules = saved.rules(e.getKey(), chain);
                if (chain.equals(FORWARD) ? !FORWARD_BASE.containsAll(rules) : !rules.isEmpty()) {
                    return false;
                }
            }
        }
        for (boolean proxy : new boolean[] {true, false}) {
            for (Rule jump : jumps(proxy)) {
                if (saved.contains(jump)) {
                    iptables.run(jump.args("-D"));
                }
            }
        }
        for (List<String> base : FORWARD_BASE) {
            if (saved.rules("filter", FORWARD).contains(base)) {
                List<String> args = new ArrayList<>(List.of("-t", "filter", "-D", FORWARD));
                args.addAll(base);
                iptables.run(args);
            }
        }
        for (String table : CHAINS.keySet()) {
            List<String> chains = CHAINS.get(table);
            for (int i = chains.size() - 1; i >= 0; i--) { // a chain still jumped to cannot be deleted
                String chain = chains.get(i);
                if (saved.hasChain(table, chain)) {
                    iptables.run(List.of("-t", table, "-X", chain));
                }
            }
        }
        return true;
    }

    /** Adds rules in one iptables-restore run (atomic per table). */
    public synchronized void add(List<Rule> rules) throws IOException {
        if (!rules.isEmpty()) {
            iptables.restore(batch(List.of(), rules));
        }
    }

    /**
     * Removes rules that exist; those already gone are skipped (a batch of deletions fails as a whole if one
     * rule is missing, so a failed batch is retried with what iptables-save still lists).
     */
    public synchronized void remove(List<Rule> rules) throws IOException {
        if (rules.isEmpty()) {
            return;
        }
        try {
            iptables.restore(batch(rules, List.of()));
        } catch (IOException e) {
            SavedRules saved = SavedRules.parse(iptables.save());
            List<Rule> present = rules.stream().filter(saved::contains).toList();
            if (!present.isEmpty()) {
                iptables.restore(batch(present, List.of()));
            }
        }
    }

    /** The rules in Keel's chains whose tag {@code owned} accepts. */
    public synchronized List<Rule> tagged(Predicate<String> owned) throws IOException {
        return taggedIn(SavedRules.parse(iptables.save()), owned);
    }

    /** Removes every rule in Keel's chains whose tag {@code owned} accepts. */
    public synchronized int removeTagged(Predicate<String> owned) throws IOException {
        List<Rule> rules = tagged(owned);
        if (!rules.isEmpty()) {
            iptables.restore(batch(rules, List.of()));
        }
        return rules.size();
    }

    /**
     * Makes the rules in Keel's chains whose tag {@code owned} accepts exactly {@code desired}: extra ones
     * (a removed port mapping, a deleted network) are deleted, missing ones (flushed by hand, lost in a crash)
     * added. Returns how many rules changed.
     */
    public synchronized int reconcile(Predicate<String> owned, List<Rule> desired) throws IOException {
        SavedRules saved = SavedRules.parse(iptables.save());
        List<Rule> existing = taggedIn(saved, owned);
        List<Rule> wanted = new ArrayList<>(desired);
        List<Rule> delete = new ArrayList<>();
        for (Rule e : existing) {
            Rule match = wanted.stream().filter(w -> same(w, e)).findFirst().orElse(null);
            if (match != null) {
                wanted.remove(match);
            } else {
                delete.add(e);
            }
        }
        if (!delete.isEmpty() || !wanted.isEmpty()) {
            iptables.restore(batch(delete, wanted));
        }
        return delete.size() + wanted.size();
    }

    private static List<Rule> taggedIn(SavedRules saved, Predicate<String> owned) {
        List<Rule> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : CHAINS.entrySet()) {
            for (Rule r : saved.tagged(e.getKey(), e.getValue())) {
                if (owned.test(r.tag())) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static boolean same(Rule a, Rule b) {
        return a.table().equals(b.table()) && a.chain().equals(b.chain()) && a.spec().equals(b.spec());
    }

    /** iptables-restore input: per table, deletions first, then insertions and appends. */
    static String batch(List<Rule> delete, List<Rule> add) {
        StringBuilder b = new StringBuilder();
        for (String table : CHAINS.keySet()) {
            List<String> lines = new ArrayList<>();
            delete.stream().filter(r -> r.table().equals(table)).forEach(r -> lines.add(r.restoreLine("-D")));
            add.stream().filter(r -> r.table().equals(table)).forEach(r -> lines.add(r.restoreLine(r.first() ? "-I" : "-A")));
            if (!lines.isEmpty()) {
                b.append('*').append(table).append('\n');
                lines.forEach(l -> b.append(l).append('\n'));
                b.append("COMMIT\n");
            }
        }
        return b.toString();
    }

    private static void check(Iptables.Result r, List<String> args) throws IOException {
        if (!r.ok()) {
            throw new IOException("iptables " + String.join(" ", args) + ": " + r.output().trim());
        }
    }
}
