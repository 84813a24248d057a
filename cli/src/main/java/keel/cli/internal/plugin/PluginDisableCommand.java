package keel.cli.internal.plugin;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel plugin disable}: POST /plugins/{name}/disable. */
@Command(name = "disable")
public final class PluginDisableCommand extends KeelCommand {

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true",
            description = "Force the disable of an active plugin")
    boolean force;

    @Override
    public int run(CommandContext ctx) throws Exception {
        String name = args.get(0);
        Query q = new Query();
        if (force) {
            q.set("force", "1");
        }
        ctx.client().readRaw(ctx.client().call("POST", "/plugins/" + Query.escape(name, false) + "/disable", q, null,
                null, null));
        ctx.out().println(name);
        return 0;
    }
}
