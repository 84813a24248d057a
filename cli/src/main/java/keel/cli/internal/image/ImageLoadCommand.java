package keel.cli.internal.image;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.InputFiles;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.HttpResponse;
import keel.cli.internal.http.Query;
import keel.cli.internal.http.RequestBody;
import keel.cli.internal.progress.JsonMessageDisplay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel load}: POST /images/load with the archive as body (a file goes with Content-Length, stdin chunked).
 * As docker, it asks for progress only when stdout is a terminal ({@code quiet=0}), and renders the daemon's
 * JSON messages.
 */
@Command(name = "load")
public final class ImageLoadCommand extends KeelCommand {

    @Option(names = {"-i", "--input"}, paramLabel = "string", description = "Read from tar archive file, instead of STDIN")
    String input = "";

    @Option(names = "--platform", paramLabel = "string",
            description = "Load only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
    String platform = "";

    @Option(names = {"-q", "--quiet"}, arity = "0..1", fallbackValue = "true", description = "Suppress the load output")
    boolean quiet;

    @Override
    public int run(CommandContext ctx) throws Exception {
        RequestBody body;
        if (input.isEmpty()) {
            if (ctx.stdinIsTerminal()) {
                throw new CliException(1, "requested load from stdin, but stdin is empty");
            }
            body = RequestBody.ofStream(ctx.in());
        } else {
            body = InputFiles.body(input);
        }
        boolean terminal = ctx.stdoutIsTerminal();
        Query q = new Query().set("quiet", quiet || !terminal ? "1" : "0");
        if (!platform.isEmpty()) {
            try {
                q.set("platform", Platform.toJson(platform));
            } catch (IllegalArgumentException e) {
                throw new CliException(1, "invalid platform: " + e.getMessage());
            }
        }
        HttpResponse r = ctx.client().call("POST", "/images/load", q, body, "application/x-tar", null);
        String type = r.header("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            new JsonMessageDisplay(ctx.out(), terminal, terminal ? ctx.terminal().width() : 0, ctx::now)
                    .display(r.body());
        } else {
            r.body().transferTo(ctx.out().raw());
        }
        ctx.client().release(r);
        return 0;
    }
}
