package keel.cli.internal.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel rmi} / {@code keel image rm}: DELETE /images/{name} per name, printing what was untagged and
 * deleted. As in docker, with --force a name that does not exist is reported on stderr but does not fail the
 * command; any other error does.
 */
@Command(name = "rmi")
public final class ImageRemoveCommand extends KeelCommand {

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true", description = "Force removal of the image")
    boolean force;

    @Option(names = "--no-prune", arity = "0..1", fallbackValue = "true", description = "Do not delete untagged parents")
    boolean noPrune;

    @Option(names = "--platform", paramLabel = "strings",
            description = "Remove only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
    List<String> platforms = new ArrayList<>();

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        Query q = new Query();
        if (force) {
            q.set("force", "1");
        }
        if (noPrune) {
            q.set("noprune", "1");
        }
        for (String p : platforms) {
            for (String one : p.split(",")) {
                try {
                    q.add("platforms", Platform.toJson(one.trim()));
                } catch (IllegalArgumentException e) {
                    throw new CliException(1, e.getMessage());
                }
            }
        }
        List<String> errors = new ArrayList<>();
        boolean fatal = false;
        for (String name : args) {
            Object deleted;
            try {
                deleted = client.readJson(client.call("DELETE", "/images/" + Query.escape(name, false), q, null, null,
                        null));
            } catch (DaemonException e) {
                if (!e.isNotFound()) {
                    fatal = true;
                }
                errors.add(e.getMessage());
                continue;
            }
            if (deleted instanceof List) {
                for (Object o : (List<?>) deleted) {
                    if (!(o instanceof Map)) {
                        continue;
                    }
                    Object d = ((Map<?, ?>) o).get("Deleted");
                    if (d instanceof String && !((String) d).isEmpty()) {
                        ctx.out().println("Deleted: " + d);
                    } else {
                        Object u = ((Map<?, ?>) o).get("Untagged");
                        ctx.out().println("Untagged: " + (u == null ? "" : u));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            String joined = String.join("\n", errors);
            if (!force || fatal) {
                throw new CliException(1, joined);
            }
            ctx.out().flush();
            ctx.err().println(joined);
        }
        return 0;
    }
}
