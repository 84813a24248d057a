package keel.network.bridge.internal.firewall;

import java.util.ArrayList;
import java.util.List;

/**
 * One rule in one of Keel's chains. {@code spec} is written the way iptables-save prints it back (addresses with
 * their prefix, {@code -m tcp} after {@code -p tcp}, the comment match before the target), so a rule read back
 * compares equal to the rule made. {@code first} rules are inserted at the top of their chain (a RETURN or
 * ACCEPT that must come before the chain's DROPs), the others appended. Every rule Keel adds for a network or a
 * published port carries a comment tag naming its owner, which is how it is found again after a restart.
 */
public record Rule(String table, String chain, List<String> spec, boolean first) {

    public Rule {
        spec = List.copyOf(spec);
    }

    /** The comment tag, or null. */
    public String tag() {
        return tagOf(spec);
    }

    static String tagOf(List<String> spec) {
        for (int i = 0; i + 1 < spec.size(); i++) {
            if (spec.get(i).equals("--comment")) {
                return spec.get(i + 1);
            }
        }
        return null;
    }

    /** The line for iptables-restore: {@code -A CHAIN SPEC}, {@code -I CHAIN 1 SPEC} or {@code -D CHAIN SPEC}. */
    String restoreLine(String op) {
        List<String> words = new ArrayList<>();
        words.add(op);
        words.add(chain);
        if (op.equals("-I")) {
            words.add("1");
        }
        words.addAll(spec);
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(w));
        }
        return b.toString();
    }

    /** The arguments for iptables(8): {@code -t TABLE OP CHAIN SPEC}. */
    List<String> args(String op) {
        List<String> a = new ArrayList<>(List.of("-t", table, op, chain));
        if (op.equals("-I")) {
            a.add("1");
        }
        a.addAll(spec);
        return a;
    }

    private static String quote(String w) {
        if (!w.isEmpty() && w.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\\' || c == '\'' || c == '\t')) {
            return w;
        }
        return '"' + w.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public String toString() {
        return "-t " + table + " " + restoreLine(first ? "-I" : "-A");
    }
}
