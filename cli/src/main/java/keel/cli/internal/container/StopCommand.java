package keel.cli.internal.container;

import java.util.List;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keel stop} and {@code keel restart}: the stop signal, then SIGKILL after the timeout ({@code t}, sent only
 * when given; the container's own StopTimeout applies otherwise). Stop works on all containers at once, restart
 * one after the other, as in docker.
 */
@Command(name = "stop")
public final class StopCommand extends KeelCommand {

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal = "";

    Integer timeout;
    Integer time;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--timeout"}, paramLabel = "int", description = "Seconds to wait before killing the container")
    void timeout(String v) {
        timeout = FlagValues.integer(spec, "-t, --timeout", v);
    }

    @Option(names = "--time", paramLabel = "int", hidden = true,
            description = "Seconds to wait before killing the container (deprecated: use --timeout)")
    void time(String v) {
        time = FlagValues.integer(spec, "--time", v);
    }

    private final boolean restart;

    public StopCommand() {
        this(false);
    }

    StopCommand(boolean restart) {
        this.restart = restart;
    }

    /** {@code keel restart}. */
    public static StopCommand restart() {
        return new StopCommand(true);
    }

    @Override
    public int run(CommandContext ctx) throws Exception {
        if (time != null) {
            // pflag's notice for a deprecated flag, printed when it is used
            ctx.err().println("Flag --time has been deprecated, use --timeout instead").flush();
            if (timeout != null) {
                throw new CliException(1, "conflicting options: cannot specify both --timeout and --time");
            }
        }
        Integer t = timeout != null ? timeout : time;
        Query q = new Query();
        if (t != null) {
            q.set("t", Integer.toString(t));
        }
        if (!signal.isEmpty()) {
            q.set("signal", signal);
        }
        String action = restart ? "/restart" : "/stop";
        ParallelOperation.Op op = (client, c) -> SimpleActions.post(client, ContainerIds.trim(c), action, q);
        List<Exception> results;
        if (restart) {
            results = new java.util.ArrayList<>();
            for (String c : args) {
                results.add(ParallelOperation.run(ctx, List.of(c), op).get(0));
            }
        } else {
            results = ParallelOperation.run(ctx, args, op);
        }
        return ParallelOperation.report(ctx, args, results);
    }
}
