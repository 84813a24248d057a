package keel.cli.internal.network;

import java.util.LinkedHashMap;
import java.util.Map;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel network disconnect NETWORK CONTAINER}: POST /networks/{id}/disconnect {"Container","Force"}. */
@Command(name = "disconnect")
public final class NetworkDisconnectCommand extends KeelCommand {

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true",
            description = "Force the container to disconnect from a network")
    boolean force;

    @Override
    public int run(CommandContext ctx) throws Exception {
        String path = NetworkIds.path(args.get(0), "/disconnect");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Container", NetworkIds.trim("container", args.get(1)));
        body.put("Force", force);
        NetworkConnectCommand.post(ctx, path, body);
        return 0;
    }
}
