package keel.cli.internal.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.EngineClient;
import picocli.CommandLine.Command;

/** {@code keel wait}: POST /containers/{id}/wait for each container in turn, printing each exit code. */
@Command(name = "wait")
public final class WaitCommand extends KeelCommand {

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        List<String> errors = new ArrayList<>();
        for (String c : args) {
            try {
                Object json = client.readJson(client.call("POST", ContainerIds.path(ContainerIds.trim(c), "/wait"),
                        null, null, null, null));
                Object code = json instanceof Map ? ((Map<?, ?>) json).get("StatusCode") : null;
                ctx.out().println(Long.toString(code instanceof Number ? ((Number) code).longValue() : 0)).flush();
            } catch (java.io.IOException | CliException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(1, String.join("\n", errors));
        }
        return 0;
    }
}
