package keel.engine.rest.internal.routes;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import keel.engine.api.container.StreamSink;

/**
 * A container's output on its way to a client (attach, exec, logs). Without a terminal each write becomes one frame
 * of Docker's stream multiplexing, which the client splits back into stdout and stderr: an 8-byte header
 * {@code [stream, 0, 0, 0, size as big-endian uint32]} and the bytes. With a terminal there is one stream and the
 * bytes go raw, as the terminal produced them. Writes are buffered and sent when the engine has no more output at
 * hand ({@link #flush()}) or the buffer is full: a log read back is a million small frames, which one socket write
 * (one HTTP chunk) each would make several times slower. A write the engine does not follow with a flush is sent
 * after {@value #LINGER_MILLIS} ms anyway, so nothing waits on a flush that never comes.
 *
 * <p>A failed write means the client is gone: the engine hears {@code false} and stops sending.
 */
final class FramedStreamSink implements StreamSink {
    private static final System.Logger LOG = System.getLogger(FramedStreamSink.class.getName());
    static final int HEADER = 8;
    private static final int BUFFER = 64 * 1024;
    static final long LINGER_MILLIS = 5;
    /** One timer for every sink's deferred flush; the flush itself runs on a pool, as a slow client blocks it. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keel-api-flush-timer");
        t.setDaemon(true);
        return t;
    });
    private static final Executor FLUSHERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "keel-api-flush");
        t.setDaemon(true);
        return t;
    });
    /** The largest frame made by joining writes. */
    private static final int MAX_FRAME = 32 * 1024;

    private final OutputStream out;
    private final boolean raw;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean gone;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(MAX_FRAME);
    private int pendingStream;
    /** Whether written bytes wait for a flush, and whether a deferred one is scheduled. */
    private boolean dirty;
    private boolean flushScheduled;

    /** @param raw the process has a terminal: no framing */
    FramedStreamSink(OutputStream out, boolean raw) {
        this.out = new BufferedOutputStream(out, BUFFER);
        this.raw = raw;
    }

    /**
     * Writes of the same stream that follow each other are joined into one frame until the sink is flushed: the
     * client's demultiplexer only copies payloads, so the bytes it delivers are the same, but its cost is per
     * frame (docker logs of a million short lines spends most of its time there otherwise).
     */
    @Override
    public synchronized boolean write(int stream, byte[] data, int offset, int length) {
        if (gone) {
            return false;
        }
        if (length == 0) {
            return true;
        }
        try {
            dirtied();
            if (raw) {
                out.write(data, offset, length);
                return true;
            }
            if (pending.size() > 0 && (stream != pendingStream || pending.size() + length > MAX_FRAME)) {
                emitPending();
            }
            if (length > MAX_FRAME) {
                out.write(header(stream, length));
                out.write(data, offset, length);
                return true;
            }
            pendingStream = stream;
            pending.write(data, offset, length);
            return true;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "client gone, dropping output: " + e);
            gone = true;
            return false;
        }
    }

    /** Called under the lock by every write: makes sure the bytes leave within the linger time. */
    private void dirtied() {
        dirty = true;
        if (!flushScheduled) {
            flushScheduled = true;
            TIMER.schedule(() -> FLUSHERS.execute(this::deferredFlush), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void deferredFlush() {
        flushScheduled = false;
        if (dirty) {
            flush();
        }
    }

    private void emitPending() throws IOException {
        if (pending.size() > 0) {
            out.write(header(pendingStream, pending.size()));
            pending.writeTo(out);
            pending.reset();
        }
    }

    @Override
    public synchronized void flush() {
        if (gone) {
            return;
        }
        try {
            emitPending();
            out.flush();
            dirty = false;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "client gone, dropping output: " + e);
            gone = true;
        }
    }

    private static byte[] header(int stream, int length) {
        byte[] header = new byte[HEADER];
        header[0] = (byte) stream;
        header[4] = (byte) (length >>> 24);
        header[5] = (byte) (length >>> 16);
        header[6] = (byte) (length >>> 8);
        header[7] = (byte) length;
        return header;
    }

    /** One frame in one array, so that a frame is never split between two socket writes by another writer. */
    static byte[] frame(int stream, byte[] data, int offset, int length) {
        byte[] frame = new byte[HEADER + length];
        System.arraycopy(header(stream, length), 0, frame, 0, HEADER);
        System.arraycopy(data, offset, frame, HEADER, length);
        return frame;
    }

    @Override
    public synchronized void end() {
        if (ended.getCount() == 0) {
            return;
        }
        try {
            if (!gone) {
                emitPending();
            }
            out.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "closing the client's stream failed: " + e);
            gone = true;
        } finally {
            ended.countDown();
        }
    }

    boolean ended() {
        return ended.getCount() == 0;
    }

    /** Whether a write found the client gone. */
    boolean clientGone() {
        return gone;
    }

    /** Blocks until the engine ended the output. */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }
}
