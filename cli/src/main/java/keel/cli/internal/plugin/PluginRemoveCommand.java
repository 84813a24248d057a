package keel.cli.internal.plugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel plugin rm}: DELETE /plugins/{name}. Prints the name as docker does; when Keel's daemon reports data
 * a removed driver left on disk (its {@code DataKept} sentences: layers of a storage driver, say), those go to
 * stderr so the operator knows how to get them back, and stdout stays what scripts expect.
 */
@Command(name = "rm")
public final class PluginRemoveCommand extends KeelCommand {

    @Option(names = {"-f", "--force"}, arity = "0..1", fallbackValue = "true",
            description = "Force the removal of an active plugin")
    boolean force;

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        Query q = new Query();
        if (force) {
            q.set("force", "1");
        }
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            Object report;
            try {
                report = client.readJson(client.call("DELETE", "/plugins/" + Query.escape(name, false), q, null,
                        null, null));
            } catch (IOException e) {
                errors.add(e.getMessage());
                continue;
            }
            ctx.out().println(name);
            List<String> kept = dataKept(report);
            if (!kept.isEmpty()) {
                ctx.out().flush();
                for (String s : kept) {
                    ctx.err().println(s);
                }
                ctx.err().flush();
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(1, String.join("\n", errors));
        }
        return 0;
    }

    /** The sentences under "DataKept" (any capitalization), if the daemon sent any. */
    static List<String> dataKept(Object report) {
        List<String> out = new ArrayList<>();
        if (report instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) report).entrySet()) {
                if (String.valueOf(e.getKey()).equalsIgnoreCase("DataKept") && e.getValue() instanceof List) {
                    for (Object s : (List<?>) e.getValue()) {
                        out.add(String.valueOf(s));
                    }
                }
            }
        }
        return out;
    }
}
