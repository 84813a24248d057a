package keel.cli.internal.container;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.container.stream.ExitWaiter;
import keel.cli.internal.container.stream.HijackedStreamer;
import keel.cli.internal.container.stream.SignalForwarder;
import keel.cli.internal.container.stream.TtySizeMonitor;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.HijackedConnection;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keel start}: POST /containers/{id}/start for each container; with -a or -i one container is attached
 * first, its exit awaited, and keel exits with its code, as {@code keel run} would (signals forwarded unless it has
 * a TTY).
 */
@Command(name = "start")
public final class StartCommand extends KeelCommand {

    @Option(names = {"-a", "--attach"}, arity = "0..1", fallbackValue = "true",
            description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys = "";

    @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true",
            description = "Attach container's STDIN")
    boolean interactive;

    @Override
    public int run(CommandContext ctx) throws Exception {
        if (!attach && !interactive) {
            EngineClient client = ctx.client();
            List<String> failed = new ArrayList<>();
            for (String c : args) {
                try {
                    SimpleActions.post(client, ContainerIds.trim(c), "/start", null);
                    ctx.out().println(c);
                } catch (IOException | CliException e) {
                    ctx.out().flush();
                    ctx.err().println(e.getMessage()).flush();
                    failed.add(c);
                }
            }
            if (!failed.isEmpty()) {
                throw new CliException(1, "Error: failed to start containers: " + String.join(", ", failed));
            }
            return 0;
        }
        if (args.size() > 1) {
            throw new CliException(1, "you cannot start and attach multiple containers at once");
        }
        EngineClient client = ctx.client();
        ContainerInfo c = ContainerInfo.inspect(client, args.get(0));
        SignalForwarder forwarder = c.tty() ? null : SignalForwarder.start(ctx.signals(), client, c.id());
        boolean stdin = interactive && c.openStdin();
        Query q = new Query().set("stream", "1").set("stdout", "1").set("stderr", "1");
        if (stdin) {
            q.set("stdin", "1");
        }
        if (!detachKeys.isEmpty()) {
            q.set("detachKeys", detachKeys);
        }
        try {
            HijackedConnection conn = client.hijack(ContainerIds.path(c.id(), "/attach"), q, null, null,
                    Map.of("Content-Type", "text/plain"));
            try (AttachSession session = AttachSession.start(ctx, conn, stdin, true, true, c.tty(), detachKeys)) {
                ExitWaiter waiter = ExitWaiter.start(client, c.id(), c.autoRemove() ? "removed" : "next-exit");
                TtySizeMonitor monitor = null;
                try {
                    try {
                        SimpleActions.post(client, c.id(), "/start", null);
                    } catch (IOException e) {
                        session.cancel();
                        if (c.autoRemove()) {
                            waiter.exitCode(ctx.err());
                        }
                        throw new CliException(1, e.getMessage());
                    }
                    if (c.tty() && ctx.stdoutIsTerminal()) {
                        monitor = TtySizeMonitor.start(client, c.id(), false, ctx.terminal()::size, ctx.signals(),
                                ctx.err());
                    }
                    HijackedStreamer.Outcome outcome;
                    try {
                        outcome = session.await();
                    } catch (IOException e) {
                        throw new CliException(1, e.getMessage());
                    }
                    if (outcome == HijackedStreamer.Outcome.DETACHED) {
                        return 0;
                    }
                    return waiter.exitCode(ctx.err());
                } finally {
                    if (monitor != null) {
                        monitor.close();
                    }
                    waiter.close();
                }
            }
        } finally {
            if (forwarder != null) {
                forwarder.close();
            }
        }
    }
}
