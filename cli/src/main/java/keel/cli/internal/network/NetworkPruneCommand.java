package keel.cli.internal.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.Filters;
import keel.cli.internal.image.ImagePruneCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel network prune}: POST /networks/prune. Without --force it asks first; anything but "y" cancels
 * quietly with exit code 0, as docker's cancelled prune does.
 */
@Command(name = "prune")
public final class NetworkPruneCommand extends KeelCommand {

    private static final String WARNING = "WARNING! This will remove all custom networks not used by at least one "
            + "container.\nAre you sure you want to continue?";

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true", description = "Do not prompt for confirmation")
    boolean force;

    @Override
    public int run(CommandContext ctx) throws Exception {
        Filters f = Filters.parse(filters, "--filter", ctx.commandPath() + " [OPTIONS]", ctx.commandPath());
        if (!force && !ImagePruneCommand.confirm(ctx, WARNING)) {
            return 0;
        }
        Query q = new Query();
        f.addTo(q);
        Object report = ctx.client().readJson(ctx.client().call("POST", "/networks/prune", q, null, null, null));
        Object deleted = report instanceof Map ? ((Map<?, ?>) report).get("NetworksDeleted") : null;
        if (deleted instanceof List && !((List<?>) deleted).isEmpty()) {
            StringBuilder output = new StringBuilder("Deleted Networks:\n");
            for (Object id : (List<?>) deleted) {
                output.append(id).append('\n');
            }
            ctx.out().println(output.toString());
        }
        return 0;
    }
}
