package keel.engine.rest.internal.routes;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

import keel.engine.api.container.StreamSink;

/**
 * A container's output on its way to a client (attach, exec, logs). Without a terminal each write becomes one frame
 * of Docker's stream multiplexing, which the client splits back into stdout and stderr: an 8-byte header
 * {@code [stream, 0, 0, 0, size as big-endian uint32]} and the bytes. With a terminal there is one stream and the
 * bytes go raw, as the terminal produced them. Every write is flushed: a prompt without a newline must reach the
 * user now.
 *
 * <p>A failed write means the client is gone: the engine hears {@code false} and stops sending.
 */
final class FramedStreamSink implements StreamSink {
    private static final System.Logger LOG = System.getLogger(FramedStreamSink.class.getName());
    static final int HEADER = 8;

    private final OutputStream out;
    private final boolean raw;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean gone;

    /** @param raw the process has a terminal: no framing */
    FramedStreamSink(OutputStream out, boolean raw) {
        this.out = out;
        this.raw = raw;
    }

    @Override
    public boolean write(int stream, byte[] data, int offset, int length) {
        if (gone) {
            return false;
        }
        if (length == 0) {
            return true;
        }
        try {
            if (raw) {
                out.write(data, offset, length);
            } else {
                out.write(frame(stream, data, offset, length));
            }
            out.flush();
            return true;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "client gone, dropping output: " + e);
            gone = true;
            return false;
        }
    }

    /** One frame in one array, so that a frame is never split between two socket writes by another writer. */
    static byte[] frame(int stream, byte[] data, int offset, int length) {
        byte[] frame = new byte[HEADER + length];
        frame[0] = (byte) stream;
        frame[4] = (byte) (length >>> 24);
        frame[5] = (byte) (length >>> 16);
        frame[6] = (byte) (length >>> 8);
        frame[7] = (byte) length;
        System.arraycopy(data, offset, frame, HEADER, length);
        return frame;
    }

    @Override
    public void end() {
        if (ended.getCount() == 0) {
            return;
        }
        try {
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
