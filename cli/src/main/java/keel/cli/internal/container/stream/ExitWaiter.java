package keel.cli.internal.container.stream;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import keel.cli.internal.command.Output;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.HttpResponse;
import keel.cli.internal.http.Query;

/**
 * docker's ContainerWait as run, start and attach use it: {@code POST /containers/{id}/wait?condition=next-exit}
 * (or {@code removed} for --rm, or no condition) on a connection of its own, sent and acknowledged before the
 * container starts so no exit can be missed; the answer arrives when the container is done. {@link #status()}
 * completes with the exit code, or fails with the daemon's message.
 */
public final class ExitWaiter implements AutoCloseable {

    /** The wait failed: the request was refused, the connection broke, or the answer carried an error. */
    public static final class WaitFailed extends IOException {
        private static final long serialVersionUID = 1L;
        final boolean fromResult;

        WaitFailed(String message, boolean fromResult) {
            super(message);
            this.fromResult = fromResult;
        }
    }

    private final EngineClient client;
    private final CompletableFuture<Integer> status = new CompletableFuture<>();

    private ExitWaiter(EngineClient client) {
        this.client = client;
    }

    /** Sends the wait and returns once the daemon acknowledged it; {@code condition} may be null. */
    public static ExitWaiter start(EngineClient parent, String id, String condition) throws IOException {
        EngineClient c = parent.fork();
        ExitWaiter w = new ExitWaiter(c);
        HttpResponse r;
        try {
            r = c.call("POST", "/containers/" + Query.escape(id, false) + "/wait",
                    condition == null ? null : new Query().set("condition", condition), null, null, null);
        } catch (IOException e) {
            w.status.completeExceptionally(new WaitFailed(e.getMessage(), false));
            c.close();
            return w;
        }
        Thread t = new Thread(() -> {
            try {
                // Read without the client's lock, so close() can abort a wait nobody needs any more.
                byte[] answer = r.readBody(1 << 20);
                Object json = answer.length == 0 ? null : keel.cli.internal.json.JsonReader.parse(answer);
                Map<?, ?> m = json instanceof Map ? (Map<?, ?>) json : Map.of();
                Object error = m.get("Error");
                if (error instanceof Map && ((Map<?, ?>) error).get("Message") != null) {
                    w.status.completeExceptionally(new WaitFailed(String.valueOf(((Map<?, ?>) error).get("Message")),
                            true));
                    return;
                }
                Object code = m.get("StatusCode");
                w.status.complete(code instanceof Number ? ((Number) code).intValue() : 0);
            } catch (IOException e) {
                w.status.completeExceptionally(new WaitFailed(e.getMessage(), false));
            } finally {
                c.abort();
            }
        }, "keel-wait");
        t.setDaemon(true);
        t.start();
        return w;
    }

    public CompletableFuture<Integer> status() {
        return status;
    }

    /**
     * docker's waitExitOrRemoved: the exit code, or 125 after an error line when waiting failed. Blocks until the
     * daemon answers.
     */
    public int exitCode(Output err) {
        try {
            return status.join();
        } catch (CompletionException e) {
            String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            boolean fromResult = e.getCause() instanceof WaitFailed && ((WaitFailed) e.getCause()).fromResult;
            synchronized (err) {
                err.println((fromResult ? "Error waiting for container: " : "error waiting for container: ")
                        + message);
                err.flush();
            }
            return 125;
        }
    }

    /** Stops waiting (the status then never completes unless it already has). */
    @Override
    public void close() {
        client.abort();
    }
}
