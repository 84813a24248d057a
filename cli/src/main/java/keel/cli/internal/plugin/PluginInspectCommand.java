package keel.cli.internal.plugin;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.Inspector;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.FormatHelp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel plugin inspect}: GET /plugins/{name}/json. */
@Command(name = "inspect")
public final class PluginInspectCommand extends KeelCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.INSPECT)
    String format = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        return Inspector.inspect(ctx, args, format,
                ref -> client.readRaw(client.get("/plugins/" + Query.escape(ref, false) + "/json", null)), null);
    }
}
