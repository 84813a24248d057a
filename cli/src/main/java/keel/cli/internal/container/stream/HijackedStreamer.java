package keel.cli.internal.container.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

import keel.cli.internal.command.RawMode;
import keel.cli.internal.http.HijackedConnection;

/**
 * docker's hijackedIOStreamer: copies the local stdin into an attach or exec connection and the connection's output
 * to the local stdout/stderr until the output ends, the user types the detach keys, or the caller gives up.
 * With a TTY the output is raw bytes and the local terminal is put in raw mode (restored as soon as either
 * direction ends, so later messages print normally); without one the output is demultiplexed. When stdin reaches
 * its end the socket's write side is half-closed so the container reads EOF while its output keeps coming.
 */
public final class HijackedStreamer {

    /** How streaming ended. */
    public enum Outcome {
        /** The output ended (the container exited or closed it). */
        DONE,
        /** The user typed the detach keys: the container keeps running. */
        DETACHED,
        /** The caller gave up ({@link #cancel()}). */
        CANCELLED
    }

    /** Puts the terminal in raw mode for a TTY session with stdin (a seam for tests). */
    public interface RawTerminal {
        RawMode makeRaw() throws IOException;
    }

    private final HijackedConnection conn;
    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    private final boolean tty;
    private final byte[] detachKeys;
    private final RawTerminal terminal;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile RawMode raw = RawMode.NONE;

    /**
     * {@code in}, {@code out} and {@code err} may be null (not attached). {@code terminal} is consulted only for a
     * TTY session with stdin, and may be null when the local stdin is no terminal.
     */
    public HijackedStreamer(HijackedConnection conn, InputStream in, OutputStream out, OutputStream err, boolean tty,
            byte[] detachKeys, RawTerminal terminal) {
        this.conn = conn;
        this.in = in;
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.detachKeys = detachKeys;
        this.terminal = terminal;
    }

    /** Makes {@link #stream()} return {@link Outcome#CANCELLED} (the connection is the caller's to close). */
    public void cancel() {
        events.add(Outcome.CANCELLED);
    }

    /** Streams until done; an I/O failure of the output direction is thrown. */
    public Outcome stream() throws IOException {
        InputStream input = in;
        if (input != null && tty) {
            if (terminal != null) {
                try {
                    raw = terminal.makeRaw();
                } catch (IOException e) {
                    throw new IOException("unable to setup input stream: unable to set IO streams as raw terminal: "
                            + e.getMessage(), e);
                }
            }
            // docker watches for the detach keys only in TTY sessions.
            input = new EscapeKeyInput(input, detachKeys);
        }
        try {
            boolean output = out != null || err != null;
            if (output) {
                startOutput();
            }
            startInput(input);
            boolean inputDone = false;
            while (true) {
                Object e;
                try {
                    e = events.take();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return Outcome.CANCELLED;
                }
                if (e == Outcome.CANCELLED || e == Outcome.DETACHED) {
                    return (Outcome) e;
                }
                if (e instanceof OutputEnded) {
                    IOException failure = ((OutputEnded) e).failure;
                    if (failure != null) {
                        throw failure;
                    }
                    return Outcome.DONE;
                }
                if (e == INPUT_DONE && !inputDone) {
                    inputDone = true;
                    if (!output) {
                        return Outcome.DONE;
                    }
                }
            }
        } finally {
            raw.restore();
        }
    }

    private static final Object INPUT_DONE = new Object();

    private static final class OutputEnded {
        final IOException failure;

        OutputEnded(IOException failure) {
            this.failure = failure;
        }
    }

    private void startOutput() {
        Thread t = new Thread(() -> {
            IOException failure = null;
            try {
                if (out != null && tty) {
                    byte[] buf = new byte[32 * 1024];
                    InputStream src = conn.input();
                    int n;
                    while ((n = src.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } else {
                    StdStreamDemuxer.copy(conn.input(), out, err);
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                // Back to a normal terminal as soon as the output ends, before anything else is printed.
                raw.restore();
            }
            events.add(new OutputEnded(failure));
        }, "keel-attach-output");
        t.setDaemon(true);
        t.start();
    }

    private void startInput(InputStream input) {
        Thread t = new Thread(() -> {
            if (input != null) {
                try {
                    byte[] buf = new byte[32 * 1024];
                    OutputStream dst = conn.output();
                    int n;
                    while ((n = input.read(buf)) >= 0) {
                        if (n > 0) {
                            dst.write(buf, 0, n);
                        }
                    }
                } catch (EscapeKeyInput.Detached d) {
                    raw.restore();
                    events.add(Outcome.DETACHED);
                    return;
                } catch (IOException e) {
                    // the output side sees the same broken connection and reports it
                }
                raw.restore();
            }
            try {
                conn.closeWrite();
            } catch (IOException ignored) {
                // the connection is gone; the output side says so
            }
            events.add(INPUT_DONE);
        }, "keel-attach-input");
        t.setDaemon(true);
        t.start();
    }
}
