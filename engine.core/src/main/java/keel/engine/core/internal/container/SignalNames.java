package keel.engine.core.internal.container;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import keel.engine.api.errors.EngineException;

/**
 * Linux signals by name and number as Docker parses them (moby/sys/signal): a number, or a name with or without
 * {@code SIG}, in any case; {@code RTMIN+n} and {@code RTMAX-n} for real-time signals.
 */
final class SignalNames {

    static final int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGTERM = 15, SIGCONT = 18;

    private static final Map<String, Integer> BY_NAME = new HashMap<>();

    static {
        String[] names = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
            "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int i = 1; i < names.length; i++) {
            BY_NAME.put(names[i], i);
        }
        BY_NAME.put("IOT", 6);
        BY_NAME.put("CLD", 17);
        BY_NAME.put("POLL", 29);
        BY_NAME.put("RTMIN", 34);
        BY_NAME.put("RTMAX", 64);
        for (int i = 1; i <= 15; i++) {
            BY_NAME.put("RTMIN+" + i, 34 + i);
            BY_NAME.put("RTMAX-" + i, 64 - i);
        }
    }

    private SignalNames() {}

    /**
     * Parses a signal; Docker's message {@code Invalid signal: X} (400) for anything else, including 0 and numbers
     * above 64 (Docker accepts those, then fails to send them).
     */
    static int parse(String raw) {
        String s = raw == null ? "" : raw.trim();
        try {
            int n = Integer.parseInt(s);
            if (n <= 0 || n > 64) {
                throw EngineException.invalid("Invalid signal: " + raw);
            }
            return n;
        } catch (NumberFormatException notANumber) {
            String name = s.toUpperCase(Locale.ROOT);
            if (name.startsWith("SIG")) {
                name = name.substring(3);
            }
            Integer n = BY_NAME.get(name);
            if (n == null) {
                throw EngineException.invalid("Invalid signal: " + raw);
            }
            return n;
        }
    }

    /** A container's stop signal: its StopSignal when set and valid, else SIGTERM. */
    static int stopSignal(String configured) {
        if (configured == null || configured.isEmpty()) {
            return SIGTERM;
        }
        try {
            return parse(configured);
        } catch (EngineException e) {
            return SIGTERM;
        }
    }
}
