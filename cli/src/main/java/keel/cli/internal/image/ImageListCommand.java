package keel.cli.internal.image;

import java.util.ArrayList;
import java.util.List;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.ListFormatter;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel images} / {@code keel image ls}: GET /images/json. */
@Command(name = "images")
public final class ImageListCommand extends KeelCommand {

    @Option(names = {"-a", "--all"}, arity = "0..1", fallbackValue = "true",
            description = "Show all images (default hides intermediate images)")
    boolean all;

    @Option(names = "--digests", arity = "0..1", fallbackValue = "true", description = "Show digests")
    boolean digests;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format = "";

    @Option(names = "--no-trunc", arity = "0..1", fallbackValue = "true", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, arity = "0..1", fallbackValue = "true", description = "Only show image IDs")
    boolean quiet;

    /** docker's hint for "docker images ls" and friends, which filter by the name "ls". */
    private static final List<String> SUBCOMMAND_NAMES = List.of("build", "history", "import", "inspect", "list",
            "load", "ls", "prune", "pull", "push", "rm", "save", "tag");

    @Override
    public int run(CommandContext ctx) throws Exception {
        String useLine = ctx.commandPath() + " [OPTIONS] [REPOSITORY[:TAG]]";
        Filters f = Filters.parse(filters, "-f, --filter", useLine, ctx.commandPath());
        String matchName = args.isEmpty() ? "" : args.get(0);
        if (!matchName.isEmpty()) {
            f.add("reference", matchName);
        }
        Query q = new Query();
        f.addTo(q);
        if (all) {
            q.set("all", "1");
        }
        Object images = ctx.client().getJson("/images/json", q);
        List<?> list = images instanceof List ? (List<?>) images : List.of();
        String fmt = format.isEmpty() ? ListFormatter.TABLE : format;
        String finalFormat = ImageRows.format(fmt, quiet, digests);
        List<GoStruct> rows = ImageRows.build(list, !noTrunc, digests, finalFormat, ctx.now(), ctx.zone());
        try {
            ctx.out().print(ListFormatter.render(finalFormat, ImageRows.HEADER, rows));
        } catch (TemplateException e) {
            throw new CliException(1, e.getMessage());
        }
        if (!matchName.isEmpty() && list.isEmpty() && "images".equals(ctx.calledAs())
                && SUBCOMMAND_NAMES.contains(matchName)) {
            ctx.out().flush();
            ctx.err().print("\nNo images found matching \"" + matchName + "\": did you mean \"keel image " + matchName
                    + "\"?\n");
        }
        return 0;
    }
}
