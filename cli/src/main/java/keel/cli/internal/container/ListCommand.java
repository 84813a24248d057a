package keel.cli.internal.container;

import java.util.ArrayList;
import java.util.List;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.GoTemplate;
import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.ListFormatter;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.format.TemplateFunctions;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.Filters;
import keel.cli.internal.image.FormatHelp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keel ps} / {@code keel container ls}: GET /containers/json. A --format template is checked before the
 * request (on an empty row, as docker does); when it reads .Size and --size was not given, sizes are asked for.
 */
@Command(name = "ps")
public final class ListCommand extends KeelCommand {

    @Option(names = {"-a", "--all"}, arity = "0..1", fallbackValue = "true",
            description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format = "";

    @Spec
    CommandSpec spec;

    int last = -1;

    @Option(names = {"-n", "--last"}, paramLabel = "int", defaultValue = "-1",
            description = "Show n last created containers (includes all states)")
    void last(String v) {
        last = FlagValues.integer(spec, "-n, --last", v);
    }

    @Option(names = {"-l", "--latest"}, arity = "0..1", fallbackValue = "true",
            description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = "--no-trunc", arity = "0..1", fallbackValue = "true", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, arity = "0..1", fallbackValue = "true", description = "Only display container IDs")
    boolean quiet;

    Boolean size;

    @Option(names = {"-s", "--size"}, arity = "0..1", fallbackValue = "true", description = "Display total file sizes")
    void size(boolean v) {
        size = v;
    }

    @Override
    public int run(CommandContext ctx) throws Exception {
        String useLine = ctx.commandPath() + " [OPTIONS]";
        Filters f = Filters.parse(filters, "-f, --filter", useLine, ctx.commandPath());
        if (!format.isEmpty() && quiet) {
            ctx.err().print("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
        }
        boolean withSize = Boolean.TRUE.equals(size);
        if (!format.isEmpty()) {
            GoTemplate tmpl;
            try {
                tmpl = GoTemplate.parse(format);
            } catch (TemplateException e) {
                throw new CliException(1, "failed to parse template: " + e.getMessage());
            }
            boolean[] sizeUsed = {false};
            try {
                tmpl.execute(new StringBuilder(), ContainerRows.probe(sizeUsed), false, TemplateFunctions.basic());
            } catch (TemplateException e) {
                throw new CliException(1, "failed to execute template: " + e.getMessage());
            }
            if (!quiet && !withSize && size == null && sizeUsed[0]) {
                withSize = true;
            }
        }
        int limit = last;
        if (latest && last == -1) {
            limit = 1;
        }
        Query q = new Query();
        if (all) {
            q.set("all", "1");
        }
        if (limit > 0) {
            q.set("limit", Integer.toString(limit));
        }
        if (withSize) {
            q.set("size", "1");
        }
        f.addTo(q);
        Object json = ctx.client().getJson("/containers/json", q);
        List<?> list = json instanceof List ? (List<?>) json : List.of();
        String finalFormat = ContainerRows.format(format, quiet, withSize);
        List<GoStruct> rows = ContainerRows.build(list, !noTrunc, ctx.now(), ctx.zone());
        try {
            ctx.out().print(ListFormatter.render(finalFormat, ContainerRows.header(), rows));
        } catch (TemplateException e) {
            throw new CliException(1, e.getMessage());
        }
        return 0;
    }
}
