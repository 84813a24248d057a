package keel.cli.internal.network;

import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.image.ImagePruneCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel network rm}: for each network, GET /networks/{id} (an ingress network needs a confirmation) then
 * DELETE /networks/{id}. As docker, each failure is printed on stderr as it happens, the others go on, and the
 * command ends with "exit status 1"; with -f a network that does not exist is skipped silently.
 */
@Command(name = "rm")
public final class NetworkRemoveCommand extends KeelCommand {

    private static final String INGRESS_WARNING = "WARNING! Before removing the routing-mesh network, make sure all "
            + "the nodes in your swarm run the same docker engine version. Otherwise, removal may not be effective "
            + "and functionality of newly create ingress networks will be impaired.\nAre you sure you want to "
            + "continue?";

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true",
            description = "Do not error if the network does not exist")
    boolean force;

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        boolean failed = false;
        for (String name : args) {
            try {
                Object n = client.getJson(NetworkIds.path(name, ""), null);
                if (n instanceof Map && Boolean.TRUE.equals(((Map<?, ?>) n).get("Ingress"))
                        && !ImagePruneCommand.confirm(ctx, INGRESS_WARNING)) {
                    continue;
                }
            } catch (DaemonException | CliException e) {
                // The removal below reports it.
            }
            try {
                client.readRaw(client.call("DELETE", NetworkIds.path(name, ""), null, null, null, null));
            } catch (DaemonException | CliException e) {
                if (force && e instanceof DaemonException && ((DaemonException) e).isNotFound()) {
                    continue;
                }
                ctx.out().flush();
                ctx.err().println(e.getMessage());
                failed = true;
                continue;
            }
            ctx.out().println(name);
        }
        if (failed) {
            throw new CliException(1, "exit status 1");
        }
        return 0;
    }
}
