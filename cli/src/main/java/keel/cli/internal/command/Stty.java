package keel.cli.internal.command;

import java.io.IOException;

/**
 * stty(1) on the controlling terminal: the JDK has no termios, so raw mode and the window size go through the
 * command (one fork each, only for TTY sessions). The narrow boundary lets tests check the exact calls.
 */
public interface Stty {

    /** Runs {@code stty args...} on /dev/tty and returns what it printed, trimmed; fails when stty does. */
    String run(String... args) throws IOException;
}
