package keel.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import keel.cli.internal.command.CliEnvironment;
import keel.cli.internal.command.RawMode;
import keel.cli.internal.command.SignalSource;
import keel.cli.internal.command.Terminal;
import keel.cli.internal.command.TerminalSize;

/** Runs keel in-process with captured streams, a fixed clock, UTC and a fake terminal. */
final class CliRun {

    /** 2024-06-01T12:00:00Z: "now" in every test. */
    static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    final Map<String, String> env = new HashMap<>();
    InputStream stdin = new ByteArrayInputStream(new byte[0]);
    boolean stdinTty;
    boolean stdoutTty;
    boolean stderrTty;
    int width = 120;
    TerminalSize size; // null: unknown
    ZoneId zone = ZoneOffset.UTC;
    SignalSource signals = SignalSource.NONE;
    /** What the fake terminal was asked to do: "raw", "restore". */
    final java.util.List<String> terminalCalls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    static CliRun against(FakeDaemon daemon) {
        CliRun r = new CliRun();
        r.env.put("KEEL_HOST", daemon.host());
        return r;
    }

    CliRun stdin(String text) {
        stdin = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    CliRun stdin(byte[] bytes) {
        stdin = new ByteArrayInputStream(bytes);
        return this;
    }

    CliRun tty(boolean in, boolean out, boolean err) {
        stdinTty = in;
        stdoutTty = out;
        stderrTty = err;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal() {
            @Override
            public boolean isTerminal(int fd) {
                return fd == 0 ? stdinTty : fd == 1 ? stdoutTty : fd == 2 && stderrTty;
            }

            @Override
            public int width() {
                return width;
            }

            @Override
            public TerminalSize size() {
                return size;
            }

            @Override
            public RawMode makeRaw() {
                terminalCalls.add("raw");
                java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
                return () -> {
                    if (done.compareAndSet(false, true)) {
                        terminalCalls.add("restore");
                    }
                };
            }
        };
        CliEnvironment e = new CliEnvironment(env, stdin, out, err, terminal, () -> NOW, zone, signals);
        int code = Keel.run(args, e);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static final class Result {
        final int code;
        final byte[] outBytes;
        final String out;
        final String err;

        Result(int code, byte[] out, String err) {
            this.code = code;
            this.outBytes = out;
            this.out = new String(out, StandardCharsets.UTF_8);
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
