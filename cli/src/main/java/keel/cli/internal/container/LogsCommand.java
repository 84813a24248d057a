package keel.cli.internal.container;

import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.container.stream.StdStreamDemuxer;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.HttpResponse;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel logs}: inspects the container (for its ID and whether it has a TTY), then GET /containers/{id}/logs;
 * a TTY container's log is raw bytes, any other is demultiplexed onto stdout and stderr. Timestamps (-t) are the
 * daemon's RFC 3339 nanosecond prefixes, printed as sent.
 */
@Command(name = "logs")
public final class LogsCommand extends KeelCommand {

    @Option(names = "--details", arity = "0..1", fallbackValue = "true",
            description = "Show extra details provided to logs")
    boolean details;

    @Option(names = {"-f", "--follow"}, arity = "0..1", fallbackValue = "true", description = "Follow log output")
    boolean follow;

    @Option(names = "--since", paramLabel = "string", description = "Show logs since timestamp (e.g. "
            + "\"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String since = "";

    @Option(names = {"-n", "--tail"}, paramLabel = "string", defaultValue = "all",
            description = "Number of lines to show from the end of the logs")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, arity = "0..1", fallbackValue = "true", description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--until", paramLabel = "string", description = "Show logs before a timestamp (e.g. "
            + "\"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String until = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        Object inspect = client.getJson(ContainerIds.path(ContainerIds.trim(args.get(0)), "/json"), null);
        Map<?, ?> c = inspect instanceof Map ? (Map<?, ?>) inspect : Map.of();
        String id = c.get("Id") == null ? args.get(0) : c.get("Id").toString();
        boolean tty = c.get("Config") instanceof Map && Boolean.TRUE.equals(((Map<?, ?>) c.get("Config")).get("Tty"));
        Query q = new Query().set("stdout", "1").set("stderr", "1");
        if (!since.isEmpty()) {
            try {
                q.set("since", LogTimestamp.of(since, ctx.now(), ctx.zone()));
            } catch (IllegalArgumentException e) {
                throw new CliException(1, "invalid value for \"since\": " + e.getMessage());
            }
        }
        if (!until.isEmpty()) {
            try {
                q.set("until", LogTimestamp.of(until, ctx.now(), ctx.zone()));
            } catch (IllegalArgumentException e) {
                throw new CliException(1, "invalid value for \"until\": " + e.getMessage());
            }
        }
        if (timestamps) {
            q.set("timestamps", "1");
        }
        if (details) {
            q.set("details", "1");
        }
        if (follow) {
            q.set("follow", "1");
        }
        q.set("tail", tail);
        HttpResponse r = client.call("GET", ContainerIds.path(id, "/logs"), q, null, null, null);
        try {
            if (tty) {
                byte[] buf = new byte[32 * 1024];
                int n;
                var out = ctx.out().raw();
                while ((n = r.body().read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } else {
                StdStreamDemuxer.copy(r.body(), ctx.out().raw(), ctx.err().raw());
            }
        } finally {
            client.release(r);
        }
        return 0;
    }
}
