package keel.cli.internal.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.cli.internal.json.JsonReader;
import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.DisplayWidth;
import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.ListFormatter;
import keel.cli.internal.format.TemplateException;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.Filters;
import keel.cli.internal.image.FormatHelp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel plugin ls}: GET /plugins, sorted by name in natural order as docker sorts them. */
@Command(name = "ls")
public final class PluginListCommand extends KeelCommand {

    private static final Map<String, String> HEADER = new LinkedHashMap<>();

    static {
        HEADER.put("ID", "ID");
        HEADER.put("Name", "NAME");
        HEADER.put("Description", "DESCRIPTION");
        HEADER.put("Enabled", "ENABLED");
        HEADER.put("PluginReference", "IMAGE");
    }

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"enabled=true\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format = "";

    @Option(names = "--no-trunc", arity = "0..1", fallbackValue = "true", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, arity = "0..1", fallbackValue = "true", description = "Only display plugin IDs")
    boolean quiet;

    @Override
    public int run(CommandContext ctx) throws Exception {
        Filters f = Filters.parse(filters, "-f, --filter", ctx.commandPath() + " [OPTIONS]", ctx.commandPath());
        Query q = new Query();
        f.addTo(q);
        Object plugins = ctx.client().getJson("/plugins", q);
        List<Map<?, ?>> list = JsonReader.objects(plugins);
        list.sort((a, b) -> NaturalOrder.compare(str(a.get("Name")), str(b.get("Name"))));
        String fmt = format.isEmpty() ? "table" : format;
        if (fmt.equals("table")) {
            fmt = quiet ? "{{.ID}}" : "table {{.ID}}\t{{.Name}}\t{{.Description}}\t{{.Enabled}}";
        } else if (fmt.equals("raw")) {
            fmt = quiet ? "plugin_id: {{.ID}}"
                    : "plugin_id: {{.ID}}\\nname: {{.Name}}\\ndescription: {{.Description}}\\nenabled: {{.Enabled}}\\n";
        }
        List<GoStruct> rows = new ArrayList<>();
        for (Map<?, ?> p : list) {
            String id = str(p.get("Id"));
            Map<?, ?> config = p.get("Config") instanceof Map ? (Map<?, ?>) p.get("Config") : Map.of();
            String desc = str(config.get("Description")).replace("\n", "").replace("\r", "");
            GoStruct s = new GoStruct("*plugin.pluginContext");
            s.put("Description", noTrunc ? desc : DisplayWidth.ellipsis(desc, 45));
            s.put("Enabled", Boolean.TRUE.equals(p.get("Enabled")));
            s.put("ID", noTrunc ? id : (id.length() > 12 ? id.substring(0, 12) : id));
            s.put("Name", str(p.get("Name")));
            s.put("PluginReference", str(p.get("PluginReference")));
            rows.add(s);
        }
        try {
            ctx.out().print(ListFormatter.render(fmt, HEADER, rows));
        } catch (TemplateException e) {
            throw new CliException(1, e.getMessage());
        }
        return 0;
    }

    static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}
