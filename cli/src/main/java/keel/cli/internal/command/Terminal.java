package keel.cli.internal.command;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which standard streams are terminals, and how wide the terminal is. Progress bars and the "refusing to save to
 * a terminal" check depend on it; tests use a fake.
 */
public interface Terminal {

    boolean isTerminal(int fd);

    /** Columns, or 0 when unknown (docker then assumes 200). */
    int width();

    /** The real one: a standard stream is a terminal when /proc/self/fd/N points at a tty device. */
    static Terminal system(Map<String, String> env) {
        return new Terminal() {
            private final Boolean[] cache = new Boolean[3];
            private int width = -1;

            @Override
            public boolean isTerminal(int fd) {
                if (fd < 0 || fd > 2) {
                    return false;
                }
                if (cache[fd] == null) {
                    cache[fd] = probe(fd);
                }
                return cache[fd];
            }

            private boolean probe(int fd) {
                try {
                    String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
                    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                            || target.equals("/dev/console");
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
                try {
                    Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                    if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                        String[] parts = out.split("\\s+");
                        return Integer.parseInt(parts[1]);
                    }
                } catch (IOException | RuntimeException e) {
                    return 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
        };
    }
}
