package keel.cli.internal.container;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel kill}: POST /containers/{id}/kill, the signal by name or number (the daemon's default is KILL). */
@Command(name = "kill")
public final class KillCommand extends KeelCommand {

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        Query q = new Query();
        if (!signal.isEmpty()) {
            q.set("signal", signal);
        }
        return ParallelOperation.report(ctx, args, ParallelOperation.run(ctx, args,
                (client, c) -> SimpleActions.post(client, ContainerIds.trim(c), "/kill", q)));
    }
}
