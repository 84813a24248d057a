package keel.itest.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default bridge of a test's daemon: a name of the test's own ({@code kte...}) on a test subnet, never the
 * host's keel0 on a real pool. As dockerd keeps docker0, keeld keeps its default bridge and the bridge's rules when it
 * stops; {@link #remove} takes them away once the test is done with the daemon.
 */
final class TestBridge {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestBridge() {}

    /** Daemon flags for a fresh bridge: its name, 198.18.(201..240).1/24, user networks from 198.19.0.0/16. */
    static List<String> flags(String name) {
        int octet = 201 + NEXT.getAndIncrement() % 40;
        return List.of("-b", name, "--bip", "198.18." + octet + ".1/24", "--default-address-pool",
                "base=198.19.0.0/16,size=24");
    }

    static String newName() {
        return "kte" + java.util.UUID.randomUUID().toString().substring(0, 6);
    }

    /**
     * Deletes the bridge and the iptables rules that name it, in every table Keel writes to; then Keel's own chains
     * and the jumps to them, when no rule is left in them (a keeld of the host's own keeps them).
     */
    static void remove(String bridge) throws Exception {
        new ProcessBuilder("ip", "link", "del", bridge).redirectErrorStream(true).start().waitFor();
        for (String table : List.of("filter", "nat", "raw")) {
            for (String line : run("iptables-save", "-t", table).lines().toList()) {
                if (line.startsWith("-A ") && line.contains(bridge)) {
                    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-D"));
                    cmd.addAll(words(line.substring(3)));
                    new ProcessBuilder(cmd).inheritIO().start().waitFor();
                }
            }
        }
        new keel.network.bridge.internal.firewall.KeelFirewall(
                keel.network.bridge.internal.firewall.ProcessIptables.locate()).removeChainsIfUnused();
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    /** iptables-save's words: spaces split them, double quotes group them (a rule's comment). */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (w.length() > 0) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }
}
