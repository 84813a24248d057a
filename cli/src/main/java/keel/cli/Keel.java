package keel.cli;

import keel.cli.internal.KeelCommands;
import keel.cli.internal.command.CliEnvironment;
import keel.cli.internal.command.CommandRunner;

/**
 * {@code keel}: a client of the Docker Engine API served by keeld, and nothing more. Every command is HTTP
 * requests to the daemon; output, exit codes and error messages follow docker's CLI (28.2).
 */
public final class Keel {

    private Keel() {
    }

    public static void main(String[] args) {
        int code = run(args, CliEnvironment.system());
        System.exit(code);
    }

    /** Runs one command line in-process (tests give their own streams, environment and terminal). */
    public static int run(String[] args, CliEnvironment env) {
        return new CommandRunner(KeelCommands.all(), env).run(args);
    }
}
