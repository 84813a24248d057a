package keel.cli.internal.container;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;

/** {@code keel rename OLD NEW}: POST /containers/{old}/rename?name=new. */
@Command(name = "rename")
public final class RenameCommand extends KeelCommand {

    @Override
    public int run(CommandContext ctx) throws Exception {
        String oldName = args.get(0).strip();
        String newName = args.get(1).strip();
        if (oldName.isEmpty() || newName.isEmpty()) {
            throw new CliException(1, "Error: Neither old nor new names may be empty");
        }
        try {
            SimpleActions.post(ctx.client(), oldName, "/rename", new Query().set("name", newName));
        } catch (java.io.IOException e) {
            ctx.err().println(e.getMessage());
            throw new CliException(1, "Error: failed to rename container named " + oldName);
        }
        return 0;
    }
}
