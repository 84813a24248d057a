package keel.cli.internal.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * {@code keel import file|URL|- [REPOSITORY[:TAG]]}: POST /images/create?fromSrc=... with the tarball as body
 * (none for a URL, which the daemon fetches itself).
 */
@Command(name = "import")
public final class ImageImportCommand extends KeelCommand {

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Set commit message for imported image")
    String message = "";

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        String source = args.get(0);
        String reference = args.size() > 1 ? args.get(1) : "";
        RequestBody body = null;
        String fromSrc;
        if (source.equals("-")) {
            body = RequestBody.ofStream(ctx.in());
            fromSrc = "-";
        } else if (source.startsWith("https://") || source.startsWith("http://")) {
            fromSrc = source;
        } else {
            body = InputFiles.body(source);
            fromSrc = "-";
        }
        if (!reference.isEmpty()) {
            try {
                ImageReference.parseNormalized(reference);
            } catch (IllegalArgumentException e) {
                throw new CliException(1, e.getMessage());
            }
        }
        Query q = new Query().set("fromSrc", fromSrc);
        if (!reference.isEmpty()) {
            q.set("repo", reference);
        }
        if (!message.isEmpty()) {
            q.set("message", message);
        }
        if (!platform.isEmpty()) {
            q.set("platform", platform.toLowerCase(Locale.ROOT));
        }
        for (String c : changes) {
            q.add("changes", c);
        }
        HttpResponse r = ctx.client().call("POST", "/images/create", q, body, body == null ? null : "text/plain", null);
        boolean terminal = ctx.stdoutIsTerminal();
        new JsonMessageDisplay(ctx.out(), terminal, terminal ? ctx.terminal().width() : 0, ctx::now).display(r.body());
        ctx.client().release(r);
        return 0;
    }
}
