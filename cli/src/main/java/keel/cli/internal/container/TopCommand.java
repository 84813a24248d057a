package keel.cli.internal.container;

import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.TabWriter;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;

/** {@code keel top CONTAINER [ps OPTIONS]}: the daemon runs ps(1) with the options; columns aligned as docker's. */
@Command(name = "top")
public final class TopCommand extends KeelCommand {

    @Override
    public int run(CommandContext ctx) throws Exception {
        Query q = new Query();
        if (args.size() > 1) {
            q.set("ps_args", String.join(" ", args.subList(1, args.size())));
        }
        Object json = ctx.client().getJson(ContainerIds.path(ContainerIds.trim(args.get(0)), "/top"), q);
        Map<?, ?> m = json instanceof Map ? (Map<?, ?>) json : Map.of();
        StringBuilder sb = new StringBuilder();
        TabWriter tw = new TabWriter(sb, 20, 3);
        tw.write(join(m.get("Titles"))).write("\n");
        if (m.get("Processes") instanceof List) {
            for (Object p : (List<?>) m.get("Processes")) {
                tw.write(join(p)).write("\n");
            }
        }
        tw.flush();
        ctx.out().print(sb.toString());
        return 0;
    }

    private static String join(Object o) {
        java.util.List<String> cells = new java.util.ArrayList<>();
        if (o instanceof List) {
            for (Object v : (List<?>) o) {
                cells.add(v == null ? "" : v.toString());
            }
        }
        return String.join("\t", cells);
    }
}
