package keel.cli.internal.image;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.DisplayWidth;
import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.GoTime;
import keel.cli.internal.format.HumanUnits;
import keel.cli.internal.format.ListFormatter;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel history} / {@code keel image history}: GET /images/{name}/history. */
@Command(name = "history")
public final class ImageHistoryCommand extends KeelCommand {

    private static final Map<String, String> HEADER = new LinkedHashMap<>();

    static {
        HEADER.put("ID", "IMAGE");
        HEADER.put("CreatedSince", "CREATED");
        HEADER.put("CreatedAt", "CREATED AT");
        HEADER.put("CreatedBy", "CREATED BY");
        HEADER.put("Size", "SIZE");
        HEADER.put("Comment", "COMMENT");
    }

    /** Dates before 2000 are placeholders (e.g. reproducible builds at the epoch): docker prints N/A. */
    private static final long EPOCH_2000 = 946684800L;

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format = "";

    @Option(names = {"-H", "--human"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Print sizes and dates in human readable format")
    boolean human = true;

    @Option(names = "--no-trunc", arity = "0..1", fallbackValue = "true", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = "--platform", paramLabel = "string",
            description = "Show history for the given platform. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
    String platform = "";

    @Option(names = {"-q", "--quiet"}, arity = "0..1", fallbackValue = "true", description = "Only show image IDs")
    boolean quiet;

    @Override
    public int run(CommandContext ctx) throws Exception {
        Query q = new Query();
        if (!platform.isEmpty()) {
            try {
                q.set("platform", Platform.toJson(platform));
            } catch (IllegalArgumentException e) {
                throw new CliException(1, "invalid platform: " + e.getMessage());
            }
        }
        Object history = ctx.client().getJson("/images/" + Query.escape(args.get(0), false) + "/history", q);
        String fmt = format.isEmpty() ? "table" : format;
        if (fmt.equals("table")) {
            fmt = quiet ? "{{.ID}}"
                    : human ? "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
                            : "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
        }
        List<GoStruct> rows = new ArrayList<>();
        if (history instanceof List) {
            for (Object o : (List<?>) history) {
                if (o instanceof Map) {
                    rows.add(row((Map<?, ?>) o, !noTrunc, human, ctx.now(), ctx));
                }
            }
        }
        try {
            ctx.out().print(ListFormatter.render(fmt, HEADER, rows));
        } catch (TemplateException e) {
            throw new CliException(1, e.getMessage());
        }
        return 0;
    }

    private static GoStruct row(Map<?, ?> h, boolean trunc, boolean human, Instant now, CommandContext ctx) {
        String id = ImageRows.str(h.get("Id"));
        long created = ImageRows.num(h.get("Created"));
        long size = ImageRows.num(h.get("Size"));
        String createdAt = GoTime.rfc3339(created, ctx.zone());
        String since;
        if (!human) {
            since = createdAt;
        } else if (created <= EPOCH_2000) {
            since = "N/A";
        } else {
            since = HumanUnits.humanDuration(Duration.between(Instant.ofEpochSecond(created), now)) + " ago";
        }
        String createdBy = ImageRows.str(h.get("CreatedBy")).replace("\t", " ");
        GoStruct s = new GoStruct("*image.historyContext");
        s.put("Comment", ImageRows.str(h.get("Comment")));
        s.put("CreatedAt", createdAt);
        s.put("CreatedBy", trunc ? DisplayWidth.ellipsis(createdBy, 45) : createdBy);
        s.put("CreatedSince", since);
        s.put("ID", trunc ? ImageRows.truncateId(id) : id);
        s.put("Size", human ? HumanUnits.humanSizeWithPrecision(size, 3) : Long.toString(size));
        return s;
    }
}
