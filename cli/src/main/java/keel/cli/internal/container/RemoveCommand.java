package keel.cli.internal.container;

import java.util.ArrayList;
import java.util.List;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel rm}: DELETE /containers/{id}, names printed as given. A running container is refused by the daemon
 * unless -f (exit 1, as docker); with -f a name that does not exist is only reported on stderr.
 */
@Command(name = "rm")
public final class RemoveCommand extends KeelCommand {

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true",
            description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-l", "--link"}, arity = "0..1", fallbackValue = "true", description = "Remove the specified link")
    boolean link;

    @Option(names = {"-v", "--volumes"}, arity = "0..1", fallbackValue = "true",
            description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Override
    public int run(CommandContext ctx) throws Exception {
        Query q = new Query();
        if (volumes) {
            q.set("v", "1");
        }
        if (link) {
            q.set("link", "1");
        }
        if (force) {
            q.set("force", "1");
        }
        List<Exception> results = ParallelOperation.run(ctx, args, (client, c) -> {
            String id = c.replaceAll("^/+|/+$", "");
            if (id.isEmpty()) {
                throw new CliException(1, "container name cannot be empty");
            }
            client.readRaw(client.call("DELETE", ContainerIds.path(ContainerIds.trim(id), ""), q, null, null, null));
        });
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Exception e = results.get(i);
            if (e == null) {
                ctx.out().println(args.get(i));
            } else if (force && e instanceof DaemonException && ((DaemonException) e).isNotFound()) {
                ctx.out().flush();
                ctx.err().println(e.getMessage());
            } else {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(1, String.join("\n", errors));
        }
        return 0;
    }
}
