package keel.cli.internal.container;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.Inspector;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.FormatHelp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel container inspect}: GET /containers/{id}/json (with sizes for -s) for each container. */
@Command(name = "inspect")
public final class ContainerInspectCommand extends KeelCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.INSPECT)
    String format = "";

    @Option(names = {"-s", "--size"}, arity = "0..1", fallbackValue = "true", description = "Display total file sizes")
    boolean size;

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        Query q = size ? new Query().set("size", "1") : null;
        return Inspector.inspect(ctx, args, format, ref -> {
            String id = ref.strip();
            if (id.isEmpty()) {
                throw new DaemonException(400, "invalid container name or ID: value is empty");
            }
            return client.readRaw(client.get(ContainerIds.path(id, "/json"), q));
        }, null);
    }
}
