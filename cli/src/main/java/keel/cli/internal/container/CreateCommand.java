package keel.cli.internal.container;

import java.util.List;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.container.options.BadValue;
import keel.cli.internal.container.options.ContainerFlags;
import keel.cli.internal.container.options.CreateRequestBuilder;
import keel.cli.internal.command.TerminalSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code keel create IMAGE [COMMAND] [ARG...]}: the container is made, not started; its ID is printed. */
@Command(name = "create")
public final class CreateCommand extends KeelCommand {

    @Mixin
    ContainerFlags flags;

    @Override
    public int run(CommandContext ctx) throws Exception {
        CreateRequestBuilder.Request request = parse(ctx, flags, args, "create");
        try {
            ctx.out().println(ContainerCreator.create(ctx, flags, request));
        } catch (java.io.IOException e) {
            throw new CliException(1, e.getMessage());
        }
        return 0;
    }

    /** The request from the flags, or docker's "keel: ... Run 'keel create --help'" error (exit 125). */
    static CreateRequestBuilder.Request parse(CommandContext ctx, ContainerFlags flags, List<String> args,
            String command) throws CliException {
        if (!List.of("always", "missing", "never", "").contains(flags.pull)) {
            throw withHelp("invalid pull option: '" + flags.pull + "': must be one of \"always\", \"missing\" or "
                    + "\"never\"", command, 125);
        }
        TerminalSize size = ctx.stdoutIsTerminal() ? ctx.terminal().size() : null;
        try {
            return new CreateRequestBuilder(flags, ctx.env()::env).build(args.get(0), args.subList(1, args.size()),
                    size == null ? 0 : size.rows(), size == null ? 0 : size.columns());
        } catch (BadValue e) {
            throw withHelp(e.getMessage(), command, 125);
        }
    }

    /** docker's withHelp: "keel: <error>", a blank line, and where to read more. */
    static CliException withHelp(String message, String command, int code) {
        return new CliException(code, "keel: " + message + "\n\nRun 'keel " + command + " --help' for more information");
    }
}
