package keel.cli.internal.image;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.Inspector;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel image inspect}: GET /images/{name}/json for each name. */
@Command(name = "inspect")
public final class ImageInspectCommand extends KeelCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.INSPECT)
    String format = "";

    @Option(names = "--platform", paramLabel = "string",
            description = "Inspect a specific platform of the multi-platform image.")
    String platform = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        Query q = new Query();
        if (!platform.isEmpty()) {
            try {
                q.set("platform", Platform.toJson(platform));
            } catch (IllegalArgumentException e) {
                throw new CliException(1, e.getMessage());
            }
        }
        EngineClient client = ctx.client();
        return Inspector.inspect(ctx, args, format, ref -> fetch(client, ref, q), InspectTyping::image);
    }

    static byte[] fetch(EngineClient client, String ref, Query q) throws java.io.IOException {
        if (ref.isEmpty()) {
            throw new keel.cli.internal.http.DaemonException(404, "Error: No such image: " + ref);
        }
        return client.readRaw(client.get("/images/" + keel.cli.internal.http.Query.escape(ref, false) + "/json", q));
    }
}
