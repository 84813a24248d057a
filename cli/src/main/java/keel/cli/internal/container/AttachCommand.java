package keel.cli.internal.container;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;

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
 * {@code keel attach}: wait for the container's exit (registered first), check it runs, attach the local streams,
 * and exit with its code. The detach keys end keel with "read escape sequence" (exit 1), as docker attach does;
 * the container keeps running.
 */
@Command(name = "attach")
public final class AttachCommand extends KeelCommand {

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys = "";

    @Option(names = "--no-stdin", arity = "0..1", fallbackValue = "true", description = "Do not attach STDIN")
    boolean noStdin;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Proxy all received signals to the process")
    boolean sigProxy = true;

    @Override
    public int run(CommandContext ctx) throws Exception {
        EngineClient client = ctx.client();
        String name = ContainerIds.trim(args.get(0));
        ExitWaiter waiter = ExitWaiter.start(client, name, null);
        SignalForwarder forwarder = null;
        TtySizeMonitor monitor = null;
        try {
            ContainerInfo c = ContainerInfo.inspect(client, name);
            c.checkAttachable();
            if (c.tty() && !noStdin && !ctx.stdinIsTerminal()) {
                throw new CliException(1, "the input device is not a TTY");
            }
            boolean stdin = !noStdin && c.openStdin();
            if (sigProxy && !c.tty()) {
                forwarder = SignalForwarder.start(ctx.signals(), client, name);
            }
            Query q = new Query().set("stream", "1").set("stdout", "1").set("stderr", "1");
            if (stdin) {
                q.set("stdin", "1");
            }
            if (!detachKeys.isEmpty()) {
                q.set("detachKeys", detachKeys);
            }
            HijackedConnection conn = client.hijack(ContainerIds.path(name, "/attach"), q, null, null,
                    Map.of("Content-Type", "text/plain"));
            try (conn) {
                // It may have stopped between the check and the attach: an attach to a stopped one would hang.
                ContainerInfo.inspect(client, name).checkAttachable();
                if (c.tty() && ctx.stdoutIsTerminal()) {
                    monitor = TtySizeMonitor.start(client, name, false, ctx.terminal()::size, ctx.signals(),
                            ctx.err(), true);
                }
                AttachSession session = AttachSession.start(ctx, conn, stdin, true, true, c.tty(), detachKeys);
                HijackedStreamer.Outcome outcome;
                try {
                    outcome = session.await();
                } catch (IOException e) {
                    throw new CliException(1, e.getMessage());
                }
                if (outcome == HijackedStreamer.Outcome.DETACHED) {
                    throw new CliException(1, "read escape sequence");
                }
            }
            try {
                int status = waiter.status().join();
                return status;
            } catch (CompletionException e) {
                throw new CliException(1, e.getCause().getMessage());
            }
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            if (forwarder != null) {
                forwarder.close();
            }
            waiter.close();
        }
    }
}
