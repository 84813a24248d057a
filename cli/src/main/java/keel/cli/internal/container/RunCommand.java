package keel.cli.internal.container;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.container.options.ContainerFlags;
import keel.cli.internal.container.options.CreateRequestBuilder;
import keel.cli.internal.container.stream.ExitWaiter;
import keel.cli.internal.container.stream.HijackedStreamer;
import keel.cli.internal.container.stream.SignalForwarder;
import keel.cli.internal.container.stream.TtySizeMonitor;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.HijackedConnection;
import keel.cli.internal.http.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code keel run}: docker's runContainer, step for step. Create (pulling through the daemon when the image is
 * missing); forward signals (--sig-proxy); attach, before the container starts so no output is lost; ask to be told
 * of its exit (or removal, with --rm), also before it starts; start; then stream until the output ends and exit
 * with the container's code. Detached (-d), the ID is printed instead. Errors before the container runs exit 125,
 * or 126/127 when the daemon's start error says the command could not be executed or found.
 */
@Command(name = "run")
public final class RunCommand extends KeelCommand {

    @Mixin
    ContainerFlags flags;

    @Option(names = {"-d", "--detach"}, arity = "0..1", fallbackValue = "true",
            description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Proxy received signals to the process")
    boolean sigProxy = true;

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        CreateRequestBuilder.Request request = CreateCommand.parse(ctx, flags, args, "run");
        Map<String, Object> config = request.config;
        boolean tty = flags.tty;
        if (!detach) {
            if (tty && request.flag("AttachStdin") && !ctx.stdinIsTerminal()) {
                throw new CliException(1, "the input device is not a TTY");
            }
        } else {
            if (flags.attachGiven()) {
                throw new CliException(1, "conflicting options: cannot specify both --attach and --detach");
            }
            config.put("AttachStdin", false);
            config.put("AttachStdout", false);
            config.put("AttachStderr", false);
            config.put("StdinOnce", false);
        }
        boolean stdin = request.flag("AttachStdin");
        boolean stdout = request.flag("AttachStdout");
        boolean stderr = request.flag("AttachStderr");

        String id;
        try {
            id = ContainerCreator.create(ctx, flags, request);
        } catch (IOException e) {
            throw toStatusError(e.getMessage());
        }
        EngineClient client = ctx.client();
        SignalForwarder forwarder = sigProxy ? SignalForwarder.start(ctx.signals(), client, id) : null;
        try {
            return runCreated(ctx, client, id, tty, stdin, stdout, stderr);
        } finally {
            if (forwarder != null) {
                forwarder.close();
            }
        }
    }

    private int runCreated(CommandContext ctx, EngineClient client, String id, boolean tty, boolean stdin,
            boolean stdout, boolean stderr) throws IOException, CliException {
        boolean attach = stdin || stdout || stderr;
        if (!attach) {
            ctx.out().println(id).flush();
        }
        AttachSession session = null;
        if (attach) {
            Query q = new Query().set("stream", "1");
            if (stdin) {
                q.set("stdin", "1");
            }
            if (stdout) {
                q.set("stdout", "1");
            }
            if (stderr) {
                q.set("stderr", "1");
            }
            if (!detachKeys.isEmpty()) {
                q.set("detachKeys", detachKeys);
            }
            HijackedConnection conn;
            try {
                conn = client.hijack(ContainerIds.path(id, "/attach"), q, null, null,
                        Map.of("Content-Type", "text/plain"));
            } catch (IOException e) {
                throw new CliException(1, e.getMessage());
            }
            session = AttachSession.start(ctx, conn, stdin, stdout, stderr, tty, detachKeys);
        }
        ExitWaiter waiter = ExitWaiter.start(client, id, flags.autoRemove ? "removed" : "next-exit");
        TtySizeMonitor monitor = null;
        try {
            try {
                client.readRaw(client.call("POST", ContainerIds.path(id, "/start"), null, null, null, null));
            } catch (IOException e) {
                if (session != null) {
                    session.cancel(); // puts the terminal back before the error is printed
                }
                if (flags.autoRemove) {
                    waiter.exitCode(ctx.err()); // the container is gone before keel ends
                }
                throw toStatusError(e.getMessage());
            }
            if (session == null) {
                return 0;
            }
            if (tty && ctx.stdoutIsTerminal()) {
                monitor = TtySizeMonitor.start(client, id, false, ctx.terminal()::size, ctx.signals(), ctx.err());
            }
            CompletableFuture.anyOf(session.outcome(), waiter.status()).exceptionally(e -> null).join();
            if (session.outcome().isDone()) {
                HijackedStreamer.Outcome outcome;
                try {
                    outcome = session.await();
                } catch (IOException e) {
                    throw new CliException(1, e.getMessage());
                }
                if (outcome == HijackedStreamer.Outcome.DETACHED) {
                    return 0; // the user typed the detach keys: the container keeps running
                }
                return waiter.exitCode(ctx.err());
            }
            int status = waiter.exitCode(ctx.err());
            if (!stdout && !stderr) {
                session.cancel();
            }
            try {
                session.await(); // the output may still be arriving: print all of it
            } catch (IOException ignored) {
                // docker drains this result without looking at it
            }
            return status;
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            if (session != null) {
                session.close();
            }
            waiter.close();
        }
    }

    /**
     * docker's toStatusError: 127 when the command was not found, 126 when it could not be executed, 125 for
     * anything else the daemon refused.
     */
    static CliException toStatusError(String message) {
        int code = 125;
        if (message.contains("executable file not found") || message.contains("no such file or directory")
                || message.contains("system cannot find the file specified")) {
            code = 127;
        } else if (message.contains("permission denied") || message.contains("is a directory")) {
            code = 126;
        }
        return CreateCommand.withHelp(message, "run", code);
    }
}
