package keel.cli.internal.system;

import java.io.IOException;
import java.util.List;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.Inspector;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.DaemonException;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;
import keel.cli.internal.image.FormatHelp;
import keel.cli.internal.image.InspectTyping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel inspect NAME...}: docker's object auto-detection — try each object kind in docker's order
 * (containers, images, networks, then plugins), skip kinds that do not have the name, and report "Error: No such
 * object" when none has it. Volumes slot into {@link #KINDS} as the daemon grows them.
 */
@Command(name = "inspect")
public final class InspectCommand extends KeelCommand {

    /** One object kind: its --type name and the path of its inspect endpoint. */
    private static final class Kind {
        final String type;
        final String prefix;
        final String suffix;
        final Inspector.Typing typing;

        Kind(String type, String prefix, String suffix, Inspector.Typing typing) {
            this.type = type;
            this.prefix = prefix;
            this.suffix = suffix;
            this.typing = typing;
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("container", "/containers/", "/json", null),
            new Kind("image", "/images/", "/json", InspectTyping::image),
            new Kind("network", "/networks/", "", null),
            new Kind("plugin", "/plugins/", "/json", null));

    private static final String ALL_TYPES = "config\", \"container\", \"image\", \"network\", \"node\", \"plugin\", "
            + "\"secret\", \"service\", \"task\", \"volume";

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.INSPECT)
    String format = "";

    @Option(names = {"-s", "--size"}, arity = "0..1", fallbackValue = "true",
            description = "Display total file sizes if the type is container")
    boolean size;

    @Option(names = "--type", paramLabel = "string", description = "Only inspect objects of the given type")
    String type;

    @Override
    public int run(CommandContext ctx) throws Exception {
        if (type != null && type.isEmpty()) {
            throw new CliException(1, "type is empty: must be one of \"" + ALL_TYPES + "\"");
        }
        String constraint = type == null ? "" : type;
        if (!constraint.isEmpty() && !("\"" + ALL_TYPES + "\"").contains("\"" + constraint + "\"")) {
            throw new CliException(1, "unknown type: \"" + constraint + "\": must be one of \"" + ALL_TYPES + "\"");
        }
        EngineClient client = ctx.client();
        // The typing of the kind that answered applies to that object only.
        Inspector.Typing[] typing = new Inspector.Typing[1];
        return Inspector.inspect(ctx, args, format, ref -> {
            for (Kind k : KINDS) {
                if (!constraint.isEmpty() && !k.type.equals(constraint)) {
                    continue;
                }
                try {
                    boolean sized = size && k.type.equals("container");
                    byte[] raw = client.readRaw(client.get(k.prefix + Query.escape(ref, false) + k.suffix,
                            sized ? new Query().set("size", "1") : null));
                    typing[0] = k.typing;
                    if (size && !sized) {
                        ctx.err().println("WARNING: --size ignored for " + k.type);
                    }
                    return raw;
                } catch (DaemonException e) {
                    if (constraint.isEmpty() && skippable(e)) {
                        continue;
                    }
                    throw e;
                }
            }
            if (!constraint.isEmpty() && KINDS.stream().noneMatch(k -> k.type.equals(constraint))) {
                throw new IOException("Error response from daemon: " + constraint + " objects are not supported by keel yet");
            }
            throw new IOException("Error: No such object: " + ref);
        }, json -> typing[0] == null ? json : typing[0].apply(json));
    }

    private static boolean skippable(DaemonException e) {
        String m = e.getMessage();
        return e.isNotFound() || m.contains("not supported") || m.contains("invalid reference format");
    }
}
