package keel.network.bridge.internal.firewall;

import java.io.IOException;
import java.util.List;

/**
 * The iptables(8) command family, as Docker drives it: {@code iptables} for single rules and checks,
 * {@code iptables-save} to read, {@code iptables-restore --noflush} to apply a batch atomically per table. Whichever
 * backend {@code iptables} is (nft or legacy), the three come from the same installation.
 */
public interface Iptables {

    /** What a command printed and how it exited. */
    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** {@code iptables -w ARGS}. */
    Result run(List<String> args) throws IOException;

    /** {@code iptables-save}: every table's rules in the save format. */
    String save() throws IOException;

    /** {@code iptables-restore -w --noflush} with {@code input}; fails as a whole if any line fails. */
    void restore(String input) throws IOException;
}
