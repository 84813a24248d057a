package keel.cli.internal.network;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.Inspector;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.FormatHelp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel network inspect}: GET /networks/{id} (with {@code verbose=true} for -v) for each network. */
@Command(name = "inspect")
public final class NetworkInspectCommand extends KeelCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.INSPECT)
    String format = "";

    @Option(names = {"-v", "--verbose"}, arity = "0..1", fallbackValue = "true",
            description = "Verbose output for diagnostics")
    boolean verbose;

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        Query q = verbose ? new Query().set("verbose", "true") : null;
        return Inspector.inspect(ctx, args, format, ref -> {
            if (ref.isBlank()) {
                // The client's trimID fails before any request; inspect reports it like a missing network.
                throw new DaemonException(400, "invalid network name or ID: value is empty");
            }
            return client.readRaw(client.get(NetworkIds.path(ref, ""), q));
        }, null);
    }
}
