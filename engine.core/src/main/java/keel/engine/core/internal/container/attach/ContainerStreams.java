package keel.engine.core.internal.container.attach;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import keel.engine.api.container.StreamSink;
import keel.engine.api.logging.ContainerLog;
import keel.engine.api.logging.LogEntry;
import keel.engine.core.internal.container.output.OutputTarget;

/**
 * A container's streams as the engine sees them across runs (Docker's StreamConfig): the log its output is written
 * to during a run, the clients attached to it, and its stdin. Clients may attach before a run starts
 * ({@code docker run}, {@code docker start -a}) and are ended when the run's output has been drained.
 */
public final class ContainerStreams implements OutputTarget {

    private static final System.Logger LOG = System.getLogger(ContainerStreams.class.getName());
    private static final long LOG_ERROR_INTERVAL = TimeUnit.SECONDS.toNanos(60);

    private final String containerId;
    private final Executor executor;
    private final CopyOnWriteArrayList<AttachedClient> clients = new CopyOnWriteArrayList<>();
    private volatile ContainerLog log;
    private volatile Runnable wake = () -> {};
    private long lastLogError;

    private OutputStream stdin;

    /** @param executor runs the tasks that write to clients */
    public ContainerStreams(String containerId, Executor executor) {
        this.containerId = containerId;
        this.executor = executor;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Output (pump thread)

    @Override
    public void log(LogEntry entry) {
        ContainerLog l = log;
        if (l == null) {
            return;
        }
        try {
            l.write(entry);
        } catch (IOException | RuntimeException e) {
            long now = System.nanoTime();
            if (lastLogError == 0 || now - lastLogError > LOG_ERROR_INTERVAL) {
                lastLogError = now;
                LOG.log(Level.WARNING, "writing the log of container " + containerId + " failed; messages are lost "
                        + "until it works again", e);
            }
        }
    }

    @Override
    public void raw(int stream, byte[] data, int offset, int length) {
        for (AttachedClient c : clients) {
            c.offer(stream, data, offset, length);
        }
    }

    @Override
    public boolean throttled() {
        for (AttachedClient c : clients) {
            if (c.behind()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void dropSlowClients() {
        for (AttachedClient c : clients) {
            if (c.behind()) {
                LOG.log(Level.INFO, "detaching a client of container {0}: it did not read the output", containerId);
                c.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Runs

    /** The log of the run that starts; null when the run is over. */
    public void setLog(ContainerLog log) {
        this.log = log;
    }

    public ContainerLog log() {
        return log;
    }

    /** How to make the pump look at this container again (a client caught up). */
    public void setWake(Runnable wake) {
        this.wake = wake == null ? () -> {} : wake;
    }

    /** Attaches a client to live output. */
    public AttachedClient attach(StreamSink sink, boolean stdout, boolean stderr) {
        AttachedClient c = new AttachedClient(sink, stdout, stderr, executor, () -> wake.run(), clients::remove);
        clients.add(c);
        return c;
    }

    /** The run's output has been drained: every client attached now is ended once its queue is written. */
    public void endClients() {
        for (AttachedClient c : clients) {
            clients.remove(c);
            c.end();
        }
    }

    public List<AttachedClient> clients() {
        return List.copyOf(clients);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Stdin

    /** The stdin of the process that just started (null when it has none). */
    public synchronized void started(OutputStream processStdin) {
        this.stdin = processStdin;
        notifyAll();
    }

    /** The process is gone. */
    public synchronized void stopped() {
        this.stdin = null;
        notifyAll();
    }

    /**
     * The running process's stdin, waiting for the process to start when needed ({@code docker run -i} attaches
     * before it starts, and the client may send input at once); null when {@code cancelled} says to give up.
     */
    public synchronized OutputStream awaitStdin(java.util.function.BooleanSupplier cancelled) throws IOException {
        while (stdin == null && !cancelled.getAsBoolean()) {
            try {
                wait(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the container to start");
            }
        }
        return stdin;
    }
}
