package keel.engine.api.runtime;

import java.nio.file.Path;

/**
 * How a container's standard streams are connected.
 *
 * <p>Output goes to spool files the engine reads and forwards to the log driver and attached clients: a regular
 * file never fills up and never breaks like a pipe does when the daemon is gone, so a container neither blocks
 * nor dies of SIGPIPE while the daemon restarts, and no output is lost. Without a terminal the process's fd 1 and
 * 2 are opened on {@code stdout} and {@code stderr} (O_APPEND); with a terminal the runtime allocates a pty in the
 * container and copies its output to {@code stdout} ({@code stderr} is unused, as with Docker).
 *
 * @param tty         allocate a pseudo-terminal as the process's controlling terminal
 * @param openStdin   give the process a stdin the engine can write to ({@link RunningContainer#stdin()}); otherwise
 *                    stdin reads /dev/null
 * @param height      initial terminal rows (0 for the default)
 * @param width       initial terminal columns (0 for the default)
 */
public record Stdio(boolean tty, boolean openStdin, Path stdout, Path stderr, int height, int width) {}
