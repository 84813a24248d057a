package keel.network.bridge.internal.firewall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * iptables-save's output, parsed: for each table, the chains that exist and each chain's rules as words (quotes
 * removed). Read-only: other software's rules are parsed too, never changed.
 */
public final class SavedRules {

    private final Map<String, Set<String>> chains = new HashMap<>();
    private final Map<String, Map<String, List<List<String>>>> rules = new HashMap<>();

    public static SavedRules parse(String save) {
        SavedRules s = new SavedRules();
        String table = null;
        for (String line : save.split("\n")) {
            line = line.strip();
            if (line.startsWith("*")) {
                table = line.substring(1);
                s.chains.computeIfAbsent(table, t -> new HashSet<>());
            } else if (table != null && line.startsWith(":")) {
                int sp = line.indexOf(' ');
                s.chains.get(table).add(sp < 0 ? line.substring(1) : line.substring(1, sp));
            } else if (table != null && line.startsWith("-A ")) {
                List<String> words = words(line);
                if (words.size() >= 2) {
                    s.rules.computeIfAbsent(table, t -> new HashMap<>())
                            .computeIfAbsent(words.get(1), c -> new ArrayList<>())
                            .add(List.copyOf(words.subList(2, words.size())));
                }
            }
        }
        return s;
    }

    public boolean hasChain(String table, String chain) {
        return chains.getOrDefault(table, Set.of()).contains(chain);
    }

    /** The rules of a chain, in order, each as its words after {@code -A CHAIN}. */
    public List<List<String>> rules(String table, String chain) {
        return rules.getOrDefault(table, Map.of()).getOrDefault(chain, List.of());
    }

    public boolean contains(Rule r) {
        return rules(r.table(), r.chain()).contains(r.spec());
    }

    /** Every rule in {@code chains} of {@code table} carrying a comment tag. */
    public List<Rule> tagged(String table, List<String> chainNames) {
        List<Rule> out = new ArrayList<>();
        for (String c : chainNames) {
            for (List<String> spec : rules(table, c)) {
                if (Rule.tagOf(spec) != null) {
                    out.add(new Rule(table, c, spec, false));
                }
            }
        }
        return out;
    }

    /** Splits a save line into words the way iptables-restore does: blanks separate, double quotes group. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    w.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ' ' || c == '\t') {
                if (any) {
                    out.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString());
        }
        return out;
    }
}
