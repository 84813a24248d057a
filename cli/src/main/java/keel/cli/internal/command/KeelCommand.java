package keel.cli.internal.command;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A leaf command: picocli fills the annotated option fields and {@link #args}; {@link #run} does the work and
 * returns the exit code. Positional counts are checked by the catalog's {@link ArgsRule} so the messages are
 * docker's, not picocli's.
 */
public abstract class KeelCommand {

    @Parameters(arity = "0..*", paramLabel = "ARG", hidden = true)
    protected List<String> args = new ArrayList<>();

    /** {@code -h} joins it unless the command uses -h itself (run and create: --hostname), see CommandRunner. */
    @Option(names = "--help", usageHelp = true, hidden = true, description = "Print usage")
    protected boolean help;

    public abstract int run(CommandContext ctx) throws Exception;

    public List<String> args() {
        return args;
    }
}
