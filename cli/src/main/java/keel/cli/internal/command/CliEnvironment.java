package keel.cli.internal.command;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything a command may touch outside the daemon: environment variables, the three standard streams, the
 * terminal, the clock, the time zone and the signals the process receives. Tests run commands in-process with
 * their own.
 */
public final class CliEnvironment {

    private final Map<String, String> env;
    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    private final Terminal terminal;
    private final Supplier<Instant> clock;
    private final ZoneId zone;
    private final SignalSource signals;

    public CliEnvironment(Map<String, String> env, InputStream in, OutputStream out, OutputStream err,
            Terminal terminal, Supplier<Instant> clock, ZoneId zone) {
        this(env, in, out, err, terminal, clock, zone, SignalSource.NONE);
    }

    public CliEnvironment(Map<String, String> env, InputStream in, OutputStream out, OutputStream err,
            Terminal terminal, Supplier<Instant> clock, ZoneId zone, SignalSource signals) {
        this.signals = signals;
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
        this.zone = zone;
    }

    public static CliEnvironment system() {
        Map<String, String> env = System.getenv();
        return new CliEnvironment(env, new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), Terminal.system(env), Instant::now, ZoneId.systemDefault(),
                JvmSignals.get());
    }

    public Map<String, String> env() {
        return env;
    }

    public String env(String name) {
        return env.get(name);
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public OutputStream err() {
        return err;
    }

    public Terminal terminal() {
        return terminal;
    }

    public Instant now() {
        return clock.get();
    }

    public ZoneId zone() {
        return zone;
    }

    /** Signals sent to the process (forwarded to containers by run, attach and start -a). */
    public SignalSource signals() {
        return signals;
    }
}
