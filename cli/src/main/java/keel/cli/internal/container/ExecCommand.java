package keel.cli.internal.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.CommandContext;
import keel.cli.internal.command.KeelCommand;
import keel.cli.internal.command.TerminalSize;
import keel.cli.internal.container.options.BadValue;
import keel.cli.internal.container.options.KeyValueFile;
import keel.cli.internal.container.stream.HijackedStreamer;
import keel.cli.internal.container.stream.TtySizeMonitor;
import keel.cli.internal.format.GoQuote;
import keel.cli.internal.http.ConnectionFailedException;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.HijackedConnection;
import keel.cli.internal.http.RequestBody;
import keel.cli.internal.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code keel exec CONTAINER COMMAND [ARG...]}: inspect first (so "No such container" wins), create the exec, then
 * either start it detached or attach to it (hijacked {@code POST /exec/{id}/start}) and exit with its code from
 * {@code GET /exec/{id}/json}.
 */
@Command(name = "exec")
public final class ExecCommand extends KeelCommand {

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--detach"}, arity = "0..1", fallbackValue = "true",
            description = "Detached mode: run command in the background")
    boolean detach;

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys = "";

    final List<String> env = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    void env(String v) {
        int eq = v.indexOf('=');
        if ((eq < 0 ? v : v.substring(0, eq)).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "invalid argument " + GoQuote.quote(v)
                    + " for \"-e, --env\" flag: invalid environment variable: " + v);
        }
        env.add(v);
    }

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<String> envFiles = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true",
            description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = "--privileged", arity = "0..1", fallbackValue = "true",
            description = "Give extended privileges to the command")
    boolean privileged;

    @Option(names = {"-t", "--tty"}, arity = "0..1", fallbackValue = "true", description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-u", "--user"}, paramLabel = "string",
            description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")")
    String user = "";

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir = "";

    @Override
    public int run(CommandContext ctx) throws Exception {
        List<String> envs = null;
        try {
            for (String f : envFiles) {
                if (envs == null) {
                    envs = new ArrayList<>();
                }
                envs.addAll(KeyValueFile.parse(f, ctx.env()::env));
            }
        } catch (BadValue e) {
            throw new CliException(1, e.getMessage());
        }
        for (String v : env) {
            if (envs == null) {
                envs = new ArrayList<>();
            }
            String local = v.indexOf('=') < 0 ? ctx.env().env(v) : null;
            envs.add(local != null ? v + "=" + local : v);
        }
        boolean stdin = !detach && interactive;
        boolean stdout = !detach;
        boolean stderr = !detach;
        String container = args.get(0);
        EngineClient client = ctx.client();
        ContainerInfo.inspect(client, container);
        if (!detach && tty && stdin && !ctx.stdinIsTerminal()) {
            throw new CliException(1, "the input device is not a TTY");
        }
        List<Integer> consoleSize = null;
        if (tty) {
            TerminalSize s = ctx.stdoutIsTerminal() ? ctx.terminal().size() : null;
            consoleSize = List.of(s == null ? 0 : s.rows(), s == null ? 0 : s.columns());
        }
        // container.ExecOptions, in its field order
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("User", user);
        body.put("Privileged", privileged);
        body.put("Tty", tty);
        if (consoleSize != null) {
            body.put("ConsoleSize", consoleSize);
        }
        body.put("AttachStdin", stdin);
        body.put("AttachStderr", stderr);
        body.put("AttachStdout", stdout);
        body.put("Detach", detach);
        body.put("DetachKeys", detachKeys);
        body.put("Env", envs);
        body.put("WorkingDir", workdir);
        body.put("Cmd", new ArrayList<>(args.subList(1, args.size())));
        Object created = client.readJson(client.call("POST", ContainerIds.path(ContainerIds.trim(container), "/exec"),
                null, json(body), "application/json", null));
        Object idValue = created instanceof Map ? ((Map<?, ?>) created).get("Id") : null;
        String execId = idValue == null ? "" : idValue.toString();
        if (execId.isEmpty()) {
            throw new CliException(1, "exec ID empty");
        }
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("Detach", detach);
        start.put("Tty", tty);
        if (consoleSize != null) {
            start.put("ConsoleSize", consoleSize);
        }
        String startPath = "/exec/" + execId + "/start";
        if (detach) {
            client.readRaw(client.call("POST", startPath, null, json(start), "application/json", null));
            return 0;
        }
        HijackedConnection conn = client.hijack(startPath, null, json(start), "application/json", null);
        TtySizeMonitor monitor = null;
        try (AttachSession session = AttachSession.start(ctx, conn, stdin, stdout, stderr, tty, detachKeys)) {
            if (tty && ctx.stdinIsTerminal()) {
                monitor = TtySizeMonitor.start(client, execId, true, ctx.terminal()::size, ctx.signals(), ctx.err());
            }
            HijackedStreamer.Outcome outcome;
            try {
                outcome = session.await();
            } catch (IOException e) {
                throw new CliException(1, e.getMessage());
            }
            if (outcome == HijackedStreamer.Outcome.DETACHED) {
                throw new CliException(1, "read escape sequence");
            }
        } finally {
            if (monitor != null) {
                monitor.close();
            }
        }
        Object inspect;
        try {
            inspect = client.getJson("/exec/" + execId + "/json", null);
        } catch (ConnectionFailedException e) {
            return 255; // the daemon went away: docker's StatusError{-1}
        }
        Object code = inspect instanceof Map ? ((Map<?, ?>) inspect).get("ExitCode") : null;
        return code instanceof Number ? ((Number) code).intValue() : 0;
    }

    private static RequestBody json(Map<String, Object> body) {
        return RequestBody.ofBytes((JsonWriter.write(body, true) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
