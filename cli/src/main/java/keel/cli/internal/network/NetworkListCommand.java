package keel.cli.internal.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.json.JsonReader;
import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.ListFormatter;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.Filters;
import keel.cli.internal.image.FormatHelp;
import keel.cli.internal.plugin.NaturalOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel network ls}: GET /networks, sorted by name in natural order as docker sorts them. */
@Command(name = "ls")
public final class NetworkListCommand extends KeelCommand {

    @Option(names = {"-f", "--filter"}, paramLabel = "filter",
            description = "Provide filter values (e.g. \"driver=bridge\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format = "";

    @Option(names = "--no-trunc", arity = "0..1", fallbackValue = "true", description = "Do not truncate the output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, arity = "0..1", fallbackValue = "true", description = "Only display network IDs")
    boolean quiet;

    @Override
    public int run(CommandContext ctx) throws Exception {
        Filters f = Filters.parse(filters, "-f, --filter", ctx.commandPath() + " [OPTIONS]", ctx.commandPath());
        Query q = new Query();
        f.addTo(q);
        Object json = ctx.client().getJson("/networks", q);
        List<Map<?, ?>> networks = JsonReader.objects(json);
        networks.sort((a, b) -> NaturalOrder.compare(NetworkRows.str(a.get("Name")), NetworkRows.str(b.get("Name"))));
        List<GoStruct> rows = new ArrayList<>();
        for (Map<?, ?> n : networks) {
            rows.add(NetworkRows.row(n, !noTrunc, ctx.zone()));
        }
        try {
            ctx.out().print(ListFormatter.render(NetworkRows.format(format, quiet), NetworkRows.header(), rows));
        } catch (TemplateException e) {
            throw new CliException(1, e.getMessage());
        }
        return 0;
    }
}
