package keel.cli.internal.plugin;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.InputFiles;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.Query;
import keel.cli.internal.http.RequestBody;
import picocli.CommandLine.Command;

/**
 * {@code keel plugin install NAME FILE}: POST /plugins/create?name=NAME with the plugin bundle (a jar, or a tar
 * holding one) as body; the daemon installs and starts it. Prints the name, as {@code docker plugin create}.
 */
@Command(name = "install")
public final class PluginInstallCommand extends KeelCommand {

    @Override
    public int run(CommandContext ctx) throws Exception {
        String name = args.get(0);
        String file = args.get(1);
        RequestBody body = file.equals("-") ? RequestBody.ofStream(ctx.in()) : InputFiles.body(file);
        String type = file.endsWith(".jar") ? "application/java-archive" : "application/x-tar";
        ctx.client().readRaw(ctx.client().call("POST", "/plugins/create", new Query().set("name", name), body, type,
                null));
        ctx.out().println(name);
        return 0;
    }
}
