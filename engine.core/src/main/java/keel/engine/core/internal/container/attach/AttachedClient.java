package keel.engine.core.internal.container.attach;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import keel.engine.api.container.StreamSink;

/**
 * A client receiving a container's live output. The pump hands bytes over without ever waiting
 * ({@link #offer}); they wait in a queue that a task on a shared pool writes to the client's sink, one task at a
 * time per client (so the sink sees one thread at a time, in order), and no thread at all while the queue is
 * empty. A client whose queue grows past {@value #HIGH_WATER} bytes makes its container's output
 * {@linkplain #behind() wait} until it is below {@value #LOW_WATER} again.
 */
public final class AttachedClient {

    static final long HIGH_WATER = 1024 * 1024;
    static final long LOW_WATER = 256 * 1024;

    private record Chunk(int stream, byte[] data) {}

    private static final Object END = new Object();

    private final StreamSink sink;
    private final boolean stdout;
    private final boolean stderr;
    private final Executor executor;
    private final Runnable caughtUp;
    private final Consumer<AttachedClient> gone;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queued;
    private boolean scheduled;
    private boolean endQueued;
    private boolean wasBehind;

    /**
     * @param caughtUp called (from the writing thread) when a client that was behind is below the low-water mark
     * @param gone     called once, after the sink has been ended
     */
    AttachedClient(StreamSink sink, boolean stdout, boolean stderr, Executor executor, Runnable caughtUp,
            Consumer<AttachedClient> gone) {
        this.sink = sink;
        this.stdout = stdout;
        this.stderr = stderr;
        this.executor = executor;
        this.caughtUp = caughtUp;
        this.gone = gone;
    }

    /** Queues a copy of the bytes when the client asked for that stream (0, a terminal, counts as stdout). */
    public void offer(int stream, byte[] data, int offset, int length) {
        if (length == 0 || !(stream == 2 ? stderr : stdout)) {
            return;
        }
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        synchronized (this) {
            if (endQueued) {
                return;
            }
            queue.add(new Chunk(stream, copy));
            queued += length;
            if (queued > HIGH_WATER) {
                wasBehind = true;
            }
            schedule();
        }
    }

    /** Whether so much is queued that the container's output should wait. */
    public synchronized boolean behind() {
        return queued > HIGH_WATER;
    }

    /** Ends the client after what is queued has been written (the container exited). */
    public synchronized void end() {
        if (endQueued) {
            return;
        }
        endQueued = true;
        queue.add(END);
        schedule();
    }

    /** Ends the client now, dropping what is queued (it detached, or it is too slow). */
    public synchronized void close() {
        if (endQueued && queue.peekLast() == END && queue.size() == 1) {
            return;
        }
        queue.clear();
        queued = 0;
        endQueued = true;
        queue.add(END);
        schedule();
    }

    /** Completes when the sink has been ended. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Object item;
            boolean notify = false;
            synchronized (this) {
                item = queue.poll();
                if (item == null) {
                    scheduled = false;
                }
                if (item instanceof Chunk c) {
                    queued -= c.data.length;
                    if (wasBehind && queued <= LOW_WATER) {
                        wasBehind = false;
                        notify = true;
                    }
                }
            }
            if (notify) {
                caughtUp.run();
            }
            if (item == null) {
                // Caught up with the container: send what the sink holds (a prompt has no newline to wait for).
                try {
                    sink.flush();
                } catch (IOException | RuntimeException e) {
                    finish();
                }
                return;
            }
            if (item == END) {
                finish();
                return;
            }
            Chunk c = (Chunk) item;
            boolean more;
            try {
                more = sink.write(c.stream, c.data, 0, c.data.length);
            } catch (IOException | RuntimeException e) {
                more = false;
            }
            if (!more) {
                finish();
                return;
            }
        }
    }

    private void finish() {
        boolean notify;
        synchronized (this) {
            endQueued = true;
            queue.clear();
            queued = 0;
            notify = wasBehind;
            wasBehind = false;
            // stays "scheduled": nothing is written to this sink any more
        }
        try {
            sink.end();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone either way
        }
        gone.accept(this);
        ended.complete(null);
        if (notify) {
            caughtUp.run();
        }
    }
}
