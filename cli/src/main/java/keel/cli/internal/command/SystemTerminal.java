package keel.cli.internal.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process's real terminal. A standard stream is a terminal when /proc/self/fd/N points at a tty device; size
 * and raw mode go through {@link Stty}: {@code stty -g} saves the settings, {@code stty raw -echo} is moby/term's
 * MakeRaw as far as it matters here (no echo, no line discipline, no signal keys), {@code stty <saved>} restores.
 * The restore is also a shutdown hook, so a SIGTERM or SIGHUP that ends the JVM still leaves a usable shell.
 */
public final class SystemTerminal implements Terminal {

    private final Map<String, String> env;
    private final Stty stty;
    private final Boolean[] cache = new Boolean[3];
    private int width = -1;

    public SystemTerminal(Map<String, String> env, Stty stty) {
        this.env = env;
        this.stty = stty;
    }

    @Override
    public boolean isTerminal(int fd) {
        if (fd < 0 || fd > 2) {
            return false;
        }
        synchronized (cache) {
            if (cache[fd] == null) {
                cache[fd] = probe(fd);
            }
            return cache[fd];
        }
    }

    private static boolean probe(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return fd == 1 && System.console() != null;
        }
    }

    @Override
    public int width() {
        if (width < 0) {
            width = measure();
        }
        return width;
    }

    private int measure() {
        String cols = env.get("COLUMNS");
        if (cols != null) {
            try {
                return Integer.parseInt(cols.trim());
            } catch (NumberFormatException ignored) {
                // fall through to stty
            }
        }
        // Only asked when a progress bar is drawn on a terminal, so the fork is paid on load/import only.
        TerminalSize s = size();
        return s == null ? 0 : s.columns();
    }

    @Override
    public TerminalSize size() {
        return size(stty);
    }

    /** {@code stty size}: "rows cols"; null when it fails or says 0 0 (a pty nobody sized). */
    static TerminalSize size(Stty stty) {
        try {
            String[] parts = stty.run("size").trim().split("\\s+");
            if (parts.length == 2) {
                TerminalSize s = new TerminalSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                return s.rows() == 0 && s.columns() == 0 ? null : s;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    @Override
    public RawMode makeRaw() throws IOException {
        return makeRaw(stty, true);
    }

    /** Saves, switches to raw, and returns the once-only restore (registered as a shutdown hook when asked). */
    static RawMode makeRaw(Stty stty, boolean hook) throws IOException {
        String saved = stty.run("-g");
        if (saved.isEmpty()) {
            throw new IOException("stty -g printed nothing");
        }
        AtomicBoolean restored = new AtomicBoolean();
        Thread[] hookThread = new Thread[1];
        RawMode mode = () -> {
            if (restored.compareAndSet(false, true)) {
                try {
                    stty.run(saved);
                } catch (IOException ignored) {
                    // nothing better to do: the terminal stays as it is
                }
                if (hookThread[0] != null && Thread.currentThread() != hookThread[0]) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hookThread[0]);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs anyway and finds the work done
                    }
                }
            }
        };
        if (hook) {
            hookThread[0] = new Thread(mode::restore, "keel-tty-restore");
            Runtime.getRuntime().addShutdownHook(hookThread[0]);
        }
        try {
            stty.run("raw", "-echo");
        } catch (IOException e) {
            mode.restore();
            throw e;
        }
        return mode;
    }
}
