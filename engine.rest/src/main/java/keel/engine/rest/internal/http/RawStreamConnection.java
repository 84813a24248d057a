package keel.engine.rest.internal.http;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The connection of a hijacked exchange (attach, exec start): after the {@code 101 UPGRADED} it carries raw bytes
 * both ways, as dockerd's hijacked {@code net.Conn} does. Output is whatever the route writes to {@link #output()}
 * (already framed); the client's bytes go to {@link #input(OutputStream) the input target}, the container's stdin.
 *
 * <p>The two directions end separately, which is what makes {@code echo hi | docker run -i ...} work: the CLI
 * half-closes its side when its stdin ends ({@code shutdown(SHUT_WR)}); that EOF becomes a close of the
 * container's stdin while output keeps flowing. When the output ends the server half-closes its side, so the client
 * reads EOF after the last byte, and closes the socket once the client has closed its side too (or after
 * {@link #LINGER_MS}). Closing straight away could turn the client's final read into ECONNRESET: Linux resets the
 * peer of a Unix socket closed with unread data in its receive queue.
 *
 * <p>Output written before the connection takes over the socket (the service may produce output between attach and
 * the 101 going out) is kept and sent first. Once open, writes block until the bytes are on the socket, so a client
 * that does not read slows the container's output pump down instead of filling the heap.
 */
public final class RawStreamConnection extends AbstractConnection implements Connection.UpgradeTo {
    private static final System.Logger LOG = System.getLogger(RawStreamConnection.class.getName());

    /** How long a half-closed stream waits for the client to close its side before the socket is closed. */
    static final long LINGER_MS = 10_000;
    /**
     * Output kept before the socket is taken over. Past it a writer waits for the switch, at most
     * {@link #OPEN_TIMEOUT_MS}: a client that vanished before its 101 went out must not make the server buffer a
     * chatty container's output forever.
     */
    static final int MAX_PENDING = 1 << 20;
    static final long OPEN_TIMEOUT_MS = 30_000;
    private static final int READ_BUFFER = 16 * 1024;

    /** Serialises writes to the endpoint (Jetty allows one pending write) and the output state below. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Condition opened = writing.newCondition();
    private final List<ByteBuffer> pending = new ArrayList<>();
    private long pendingBytes;
    private final OutputStream output = new Output();
    private volatile boolean open;
    private boolean outputEnded;
    private boolean outputShut;
    private volatile boolean inputEnded;
    private volatile boolean closed;
    private volatile OutputStream input;
    private final AtomicReference<Runnable> onClose = new AtomicReference<>();
    private ByteBuffer early;

    public RawStreamConnection(EndPoint endPoint, Executor executor) {
        super(endPoint, executor);
    }

    /**
     * Where the client's bytes go; null discards them (the client did not ask for stdin). At the client's EOF the
     * target is closed. Set before the connection opens.
     */
    public void input(OutputStream target) {
        this.input = target;
    }

    /** Runs once when the connection is gone, whichever side ended it (to detach from the container). */
    public void whenClosed(Runnable action) {
        onClose.set(action);
    }

    /**
     * The bytes for the client. A write returns once the bytes are sent (or kept, before the connection is open) and
     * throws {@link java.io.EOFException} once the client is gone; {@code close()} ends the output.
     */
    public OutputStream output() {
        return output;
    }

    /** Bytes the client sent right behind the request head, before the upgrade: the first of its input. */
    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (buffer != null && buffer.hasRemaining()) {
            early = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        // onOpen runs on whatever thread completed the 101's write; the blocking work goes to the pool.
        getExecutor().execute(this::start);
    }

    private void start() {
        writing.lock();
        try {
            open = true;
            opened.signalAll();
            for (ByteBuffer b : pending) {
                send(b);
            }
            pending.clear();
            pendingBytes = 0;
            if (outputEnded) {
                shutOutput();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "client went away before its stream started: " + e);
            close();
            return;
        } finally {
            writing.unlock();
        }
        if (early != null) {
            ByteBuffer b = early;
            early = null;
            deliver(b);
        }
        fillInterested();
    }

    @Override
    public void onFillable() {
        // Jetty's buffers are kept in flush mode: fill() appends after the limit, the bytes read are then between
        // position and limit.
        ByteBuffer buffer = BufferUtil.allocate(READ_BUFFER);
        try {
            while (true) {
                BufferUtil.clear(buffer);
                int n = getEndPoint().fill(buffer);
                if (n > 0) {
                    deliver(buffer);
                } else if (n == 0) {
                    fillInterested();
                    return;
                } else {
                    inputEnded();
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "reading the client's input failed: " + e);
            inputEnded();
        }
    }

    private void deliver(ByteBuffer bytes) {
        OutputStream target = input;
        if (target == null || !bytes.hasRemaining()) {
            return;
        }
        try {
            target.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            target.flush();
        } catch (IOException e) {
            // The process' stdin is gone (it exited or closed it): later input has nowhere to go.
            LOG.log(Level.DEBUG, () -> "container stdin closed, dropping the client's input: " + e);
            input = null;
        }
    }

    /** The client closed its writing side (or the whole socket): EOF for the container's stdin. */
    private void inputEnded() {
        if (inputEnded) {
            return;
        }
        inputEnded = true;
        OutputStream target = input;
        input = null;
        if (target != null) {
            try {
                target.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "closing the container's stdin failed: " + e);
            }
        }
        writing.lock();
        try {
            if (outputShut) {
                getEndPoint().close();
            }
        } finally {
            writing.unlock();
        }
    }

    private void send(ByteBuffer bytes) throws IOException {
        try (Blocker.Callback done = Blocker.callback()) {
            getEndPoint().write(done, bytes);
            done.block();
        }
    }

    /** Called with {@link #writing} held. */
    private void shutOutput() {
        outputShut = true;
        getEndPoint().shutdownOutput();
        if (inputEnded) {
            getEndPoint().close();
        } else {
            getEndPoint().setIdleTimeout(LINGER_MS);
        }
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        // Only armed once the output ended: the client kept its side open too long after reading EOF.
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        abandon();
    }

    /** The 101 could not be sent: the connection will never open. Ignored once it has. */
    void abandonUnopened() {
        if (!open) {
            abandon();
        }
    }

    /**
     * The stream is over without (or after) the connection: the 101 could not be sent, or the socket closed. Wakes a
     * writer waiting for the switch and detaches from the container, once.
     */
    private void abandon() {
        closed = true;
        writing.lock();
        try {
            opened.signalAll();
            pending.clear();
            pendingBytes = 0;
        } finally {
            writing.unlock();
        }
        Runnable action = onClose.getAndSet(null);
        if (action != null) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "detaching a closed stream failed: " + e.getMessage(), e);
            }
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            // Copied: the caller may reuse its array as soon as this returns, and before the connection is open
            // the bytes are only queued.
            ByteBuffer copy = ByteBuffer.allocate(len).put(b, off, len).flip();
            writing.lock();
            try {
                if (closed || outputEnded) {
                    throw new EofException("the client's connection is closed");
                }
                if (!open && pendingBytes + len > MAX_PENDING) {
                    long left = TimeUnit.MILLISECONDS.toNanos(OPEN_TIMEOUT_MS);
                    while (!open && !closed && left > 0) {
                        left = opened.awaitNanos(left);
                    }
                    if (closed || !open) {
                        throw new EofException("the client did not take over the stream");
                    }
                }
                if (!open) {
                    pending.add(copy);
                    pendingBytes += len;
                    return;
                }
                send(copy);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EofException("interrupted while waiting for the client's stream");
            } catch (IOException e) {
                close();
                throw e;
            } finally {
                writing.unlock();
            }
        }

        @Override
        public void close() {
            writing.lock();
            try {
                if (outputEnded) {
                    return;
                }
                outputEnded = true;
                if (open && !closed) {
                    shutOutput();
                }
            } finally {
                writing.unlock();
            }
        }
    }
}
