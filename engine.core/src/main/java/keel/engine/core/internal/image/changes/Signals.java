package keel.engine.core.internal.image.changes;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import keel.engine.api.errors.EngineException;

/** STOPSIGNAL's check: a Linux signal by number or name, with or without {@code SIG} (moby/sys/signal). */
final class Signals {

    private static final Set<String> NAMES = new HashSet<>(Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT",
            "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT",
            "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU",
            "XFSZ", "RTMIN", "RTMAX"));

    static {
        for (int i = 1; i <= 15; i++) {
            NAMES.add("RTMIN+" + i);
            NAMES.add("RTMAX-" + i);
        }
    }

    private Signals() {}

    static void check(String raw) {
        try {
            int n = Integer.parseInt(raw);
            if (n <= 0 || n > 64) {
                throw EngineException.invalid("invalid signal: " + raw);
            }
            return;
        } catch (NumberFormatException notANumber) {
            // a name
        }
        String name = raw.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (!NAMES.contains(name)) {
            throw EngineException.invalid("invalid signal: " + raw);
        }
    }
}
