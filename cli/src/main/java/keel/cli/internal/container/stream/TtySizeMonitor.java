package keel.cli.internal.container.stream;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import keel.cli.internal.command.Output;
import keel.cli.internal.command.SignalSource;
import keel.cli.internal.command.TerminalSize;
import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;

/**
 * docker's MonitorTtySize: sends the local terminal's size to the container's (or exec's) TTY once it runs, retrying
 * briefly when the daemon is not ready, and again on every SIGWINCH. A size of 0x0 (unknown) is never sent.
 */
public final class TtySizeMonitor implements AutoCloseable {

    private final EngineClient client;
    private final String path;
    private final Supplier<TerminalSize> size;
    private SignalSource.Subscription subscription = () -> {
    };

    private TtySizeMonitor(EngineClient client, String path, Supplier<TerminalSize> size) {
        this.client = client;
        this.path = path;
        this.size = size;
    }

    /** {@code exec}: the id is an exec's, resized through /exec/{id}/resize. */
    public static TtySizeMonitor start(EngineClient parent, String id, boolean exec, Supplier<TerminalSize> size,
            SignalSource signals, Output err) throws IOException {
        return start(parent, id, exec, size, signals, err, false);
    }

    /**
     * {@code nudge}: first one row and column more than the terminal has (docker attach does this so a shell that
     * is re-attached redraws its prompt on the size change), then the real size.
     */
    public static TtySizeMonitor start(EngineClient parent, String id, boolean exec, Supplier<TerminalSize> size,
            SignalSource signals, Output err, boolean nudge) throws IOException {
        TtySizeMonitor m = new TtySizeMonitor(parent.fork(), (exec ? "/exec/" : "/containers/")
                + Query.escape(id, false) + "/resize", size);
        if (nudge) {
            m.resizeTo(size.get(), 1);
        }
        if (!m.resize()) {
            Thread retry = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    try {
                        Thread.sleep((i + 1) * 10L);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (m.resize()) {
                        return;
                    }
                }
                synchronized (err) {
                    err.println("failed to resize tty, using default size");
                    err.flush();
                }
            }, "keel-tty-resize");
            retry.setDaemon(true);
            retry.start();
        }
        m.subscription = signals.subscribe(List.of("WINCH"), s -> m.resize());
        return m;
    }

    /** Sends the current size; false when the daemon refused it. */
    public boolean resize() {
        return resizeTo(size.get(), 0);
    }

    /** Sends the size plus {@code extra} rows and columns (attach's nudge that makes a shell redraw its prompt). */
    public boolean resizeTo(TerminalSize s, int extra) {
        if (s == null || (s.rows() == 0 && s.columns() == 0)) {
            return true;
        }
        synchronized (client) {
            try {
                client.readRaw(client.call("POST", path, new Query().set("h", Integer.toString(s.rows() + extra))
                        .set("w", Integer.toString(s.columns() + extra)), null, null, null));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public void close() {
        subscription.close();
        client.close();
    }
}
