package keel.cli.internal.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.format.HumanUnits;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel image prune}: POST /images/prune?filters={"dangling":{"true":true}}. Without --force it asks first,
 * as docker does; anything but "y" cancels quietly with exit code 0.
 */
@Command(name = "prune")
public final class ImagePruneCommand extends KeelCommand {

    private static final String ALL_WARNING = "WARNING! This will remove all images without at least one container "
            + "associated to them.\nAre you sure you want to continue?";
    private static final String DANGLING_WARNING = "WARNING! This will remove all dangling images.\n"
            + "Are you sure you want to continue?";

    @Option(names = {"-a", "--all"}, arity = "0..1", fallbackValue = "true",
            description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true", description = "Do not prompt for confirmation")
    boolean force;

    @Override
    public int run(CommandContext ctx) throws Exception {
        Filters f = Filters.parse(filters, "--filter", ctx.commandPath() + " [OPTIONS]", ctx.commandPath());
        f.add("dangling", Boolean.toString(!all));
        if (!force && !confirm(ctx, all ? ALL_WARNING : DANGLING_WARNING)) {
            return 0;
        }
        Object report = ctx.client().readJson(ctx.client().call("POST", "/images/prune",
                new Query().set("filters", f.toJson()), null, null, null));
        long reclaimed = 0;
        StringBuilder output = new StringBuilder();
        if (report instanceof Map) {
            Object deleted = ((Map<?, ?>) report).get("ImagesDeleted");
            if (deleted instanceof List && !((List<?>) deleted).isEmpty()) {
                output.append("Deleted Images:\n");
                for (Object o : (List<?>) deleted) {
                    Map<?, ?> m = o instanceof Map ? (Map<?, ?>) o : Map.of();
                    Object u = m.get("Untagged");
                    if (u instanceof String && !((String) u).isEmpty()) {
                        output.append("untagged: ").append(u).append('\n');
                    } else {
                        output.append("deleted: ").append(m.get("Deleted") == null ? "" : m.get("Deleted"))
                                .append('\n');
                    }
                }
                Object space = ((Map<?, ?>) report).get("SpaceReclaimed");
                reclaimed = space instanceof Number ? ((Number) space).longValue() : 0;
            }
        }
        if (output.length() > 0) {
            ctx.out().println(output.toString());
        }
        ctx.out().println("Total reclaimed space: " + HumanUnits.humanSize(reclaimed));
        return 0;
    }

    /** docker's prompt.Confirm: the question on stdout, one line read from stdin, "y" (any case) agrees. */
    public static boolean confirm(CommandContext ctx, String message) throws IOException {
        ctx.out().print(message + " [y/N] ").flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8), 1);
        String line = in.readLine();
        return line != null && line.trim().equalsIgnoreCase("y");
    }
}
