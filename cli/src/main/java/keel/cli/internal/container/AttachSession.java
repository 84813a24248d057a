package keel.cli.internal.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import keel.cli.internal.command.CommandContext;
import keel.cli.internal.container.stream.DetachKeys;
import keel.cli.internal.container.stream.HijackedStreamer;
import keel.cli.internal.http.HijackedConnection;

/**
 * A hijacked attach or exec connection with its streamer running on a thread of its own, wired to the command's
 * standard streams as docker wires them: stderr goes to stdout in TTY sessions (a TTY has one output), raw mode
 * only when the local stdin is a terminal (and NORAW is unset).
 */
final class AttachSession implements AutoCloseable {

    private final HijackedConnection conn;
    private final HijackedStreamer streamer;
    private final CompletableFuture<HijackedStreamer.Outcome> outcome = new CompletableFuture<>();

    private AttachSession(HijackedConnection conn, HijackedStreamer streamer) {
        this.conn = conn;
        this.streamer = streamer;
    }

    static AttachSession start(CommandContext ctx, HijackedConnection conn, boolean stdin, boolean stdout,
            boolean stderr, boolean tty, String detachKeys) {
        InputStream in = stdin ? ctx.in() : null;
        OutputStream out = stdout ? ctx.out().raw() : null;
        OutputStream err = stderr ? (tty ? ctx.out().raw() : ctx.err().raw()) : null;
        byte[] keys = DetachKeys.DEFAULT;
        if (detachKeys != null && !detachKeys.isEmpty()) {
            try {
                keys = DetachKeys.parse(detachKeys);
            } catch (IllegalArgumentException e) {
                ctx.err().println("WARNING: invalid detach escape keys, using default: " + e.getMessage()).flush();
            }
        }
        String noraw = ctx.env().env("NORAW");
        HijackedStreamer.RawTerminal raw = ctx.stdinIsTerminal() && (noraw == null || noraw.isEmpty())
                ? ctx.terminal()::makeRaw : null;
        AttachSession s = new AttachSession(conn, new HijackedStreamer(conn, in, out, err, tty, keys, raw));
        Thread t = new Thread(() -> {
            try {
                s.outcome.complete(s.streamer.stream());
            } catch (IOException | RuntimeException e) {
                s.outcome.completeExceptionally(e);
            }
        }, "keel-attach");
        t.setDaemon(true);
        t.start();
        return s;
    }

    CompletableFuture<HijackedStreamer.Outcome> outcome() {
        return outcome;
    }

    /** Stops streaming and waits until the streamer has let go of the terminal. */
    void cancel() {
        streamer.cancel();
        try {
            outcome.join();
        } catch (CompletionException ignored) {
            // cancelled anyway
        }
    }

    /** The outcome, with a streaming failure rethrown as the I/O error it was. */
    HijackedStreamer.Outcome await() throws IOException {
        try {
            return outcome.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        conn.close();
    }
}
