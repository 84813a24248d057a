package keel.cli.internal.container.stream;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import keel.cli.internal.command.SignalSource;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;

/**
 * docker's ForwardAllSignals (--sig-proxy): every signal the CLI receives becomes
 * {@code POST /containers/{id}/kill?signal=NAME} (names without "SIG", as moby's signal map has them), so ctrl-c on
 * {@code keel run} interrupts the container's process, not keel. CHLD, PIPE and URG are never forwarded (docker
 * skips them too); signals the JVM must keep for itself (the crash signals, QUIT, USR2) cannot be caught.
 */
public final class SignalForwarder implements AutoCloseable {

    /** What is subscribed: the asynchronous signals a user or a supervisor sends. */
    public static final List<String> FORWARDED = List.of("HUP", "INT", "TERM", "USR1", "USR2", "ALRM", "CONT",
            "TSTP", "TTIN", "TTOU", "WINCH", "PWR", "VTALRM", "PROF", "IO");

    private static final String STOP = "";

    private final SignalSource.Subscription subscription;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();

    private SignalForwarder(SignalSource signals, EngineClient client, String id) {
        Thread worker = new Thread(() -> {
            try {
                while (true) {
                    String sig = queue.take();
                    if (sig == STOP) {
                        return;
                    }
                    try {
                        client.readRaw(client.call("POST", "/containers/" + Query.escape(id, false) + "/kill",
                                new Query().set("signal", sig), null, null, null));
                    } catch (IOException e) {
                        // docker only logs this at debug level
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                client.close();
            }
        }, "keel-signal-proxy");
        worker.setDaemon(true);
        worker.start();
        this.subscription = signals.subscribe(FORWARDED, queue::add);
    }

    public static SignalForwarder start(SignalSource signals, EngineClient parent, String id) throws IOException {
        return new SignalForwarder(signals, parent.fork(), id);
    }

    /** The signal name the API takes: "SIGTERM" and "term" become "TERM". */
    public static String apiName(String signal) {
        String s = signal.toUpperCase(java.util.Locale.ROOT);
        return s.startsWith("SIG") ? s.substring(3) : s;
    }

    /** Stops catching signals; requests already queued are still sent. */
    @Override
    public void close() {
        subscription.close();
        queue.add(STOP);
    }
}
