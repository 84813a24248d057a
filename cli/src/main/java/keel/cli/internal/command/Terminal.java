package keel.cli.internal.command;

import java.io.IOException;
import java.util.Map;

/**
 * The terminal the CLI runs on: which standard streams are terminals, how large it is, and raw mode for
 * {@code run -t} and {@code attach}. Progress bars, the "refusing to save to a terminal" check and TTY sessions
 * depend on it; tests use a fake.
 */
public interface Terminal {

    boolean isTerminal(int fd);

    /** Columns, or 0 when unknown (docker then assumes 200). */
    int width();

    /** Rows and columns, or null when unknown (docker's GetTtySize then reports 0x0 and nothing is resized). */
    default TerminalSize size() {
        return null;
    }

    /**
     * Puts the terminal in raw mode: keys reach the container one by one, unechoed, and ctrl-c is a byte, not
     * SIGINT. The returned mode restores the saved settings (once, however often it is called).
     */
    default RawMode makeRaw() throws IOException {
        return RawMode.NONE;
    }

    /** The real one (see {@link SystemTerminal}). */
    static Terminal system(Map<String, String> env) {
        return new SystemTerminal(env, new SttyProcess());
    }
}
