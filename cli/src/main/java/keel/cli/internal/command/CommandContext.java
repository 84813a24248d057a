package keel.cli.internal.command;

import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneId;

import keel.cli.internal.http.DaemonHost;
import keel.cli.internal.http.EngineClient;

/** What a running command gets: its streams, the daemon client (connected on first use) and its own name. */
public final class CommandContext implements AutoCloseable {

    private final CliEnvironment env;
    private final Output out;
    private final Output err;
    private final String hostSpec;
    private final String commandPath;
    private final String calledAs;
    private EngineClient client;
    private Thread warmup;

    public CommandContext(CliEnvironment env, Output out, Output err, String hostSpec, String commandPath,
            String calledAs) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.hostSpec = hostSpec;
        this.commandPath = commandPath;
        this.calledAs = calledAs;
    }

    public Output out() {
        return out;
    }

    public Output err() {
        return err;
    }

    public InputStream in() {
        return env.in();
    }

    public CliEnvironment env() {
        return env;
    }

    public Terminal terminal() {
        return env.terminal();
    }

    public boolean stdinIsTerminal() {
        return env.terminal().isTerminal(0);
    }

    public boolean stdoutIsTerminal() {
        return env.terminal().isTerminal(1);
    }

    public boolean stderrIsTerminal() {
        return env.terminal().isTerminal(2);
    }

    public SignalSource signals() {
        return env.signals();
    }

    public Instant now() {
        return env.now();
    }

    public ZoneId zone() {
        return env.zone();
    }

    /** "keel image ls", for messages. */
    public String commandPath() {
        return commandPath;
    }

    /** The name the command was invoked by ("images" or "ls"). */
    public String calledAs() {
        return calledAs;
    }

    public String hostSpec() {
        return hostSpec;
    }

    public synchronized EngineClient client() throws CliException {
        if (client == null) {
            DaemonHost host;
            try {
                host = DaemonHost.parse(hostSpec);
            } catch (IllegalArgumentException e) {
                throw new CliException(1, e.getMessage());
            }
            String pinned = env.env("KEEL_API_VERSION");
            if (pinned == null || pinned.isEmpty()) {
                pinned = env.env("DOCKER_API_VERSION");
            }
            client = new EngineClient(host, pinned);
        }
        return client;
    }

    void warmup(Thread thread) {
        this.warmup = thread;
    }

    /**
     * Closes the daemon connection, unless the warm-up thread is still talking to the daemon (a usage error can
     * end the command first): exiting must never wait for a slow daemon, and the process is about to end anyway.
     */
    @Override
    public void close() {
        if (warmup != null && warmup.isAlive()) {
            return;
        }
        EngineClient c;
        synchronized (this) {
            c = client;
        }
        if (c != null) {
            c.close();
        }
    }
}
