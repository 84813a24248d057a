package keel.cli.internal.plugin;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel plugin enable}: POST /plugins/{name}/enable?timeout=N. */
@Command(name = "enable")
public final class PluginEnableCommand extends KeelCommand {

    @Option(names = "--timeout", paramLabel = "int", defaultValue = "30", description = "HTTP client timeout (in seconds)")
    int timeout = 30;

    @Override
    public int run(CommandContext ctx) throws Exception {
        String name = args.get(0);
        if (timeout < 0) {
            throw new CliException(1, "negative timeout " + timeout + " is invalid");
        }
        ctx.client().readRaw(ctx.client().call("POST", "/plugins/" + Query.escape(name, false) + "/enable",
                new Query().set("timeout", Integer.toString(timeout)), null, null, null));
        ctx.out().println(name);
        return 0;
    }
}
