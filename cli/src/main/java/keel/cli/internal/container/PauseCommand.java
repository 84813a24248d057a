package keel.cli.internal.container;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import picocli.CommandLine.Command;

/** {@code keel pause} and {@code keel unpause}: freeze or thaw every process of the containers (cgroup freezer). */
@Command(name = "pause")
public final class PauseCommand extends KeelCommand {

    private final String action;

    public PauseCommand() {
        this("/pause");
    }

    private PauseCommand(String action) {
        this.action = action;
    }

    public static PauseCommand unpause() {
        return new PauseCommand("/unpause");
    }

    @Override
    public int run(CommandContext ctx) throws Exception {
        return ParallelOperation.report(ctx, args, ParallelOperation.run(ctx, args,
                (client, c) -> SimpleActions.post(client, ContainerIds.trim(c), action, null)));
    }
}
