package keel.network.bridge.internal.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The userland proxy: what dockerd runs one docker-proxy process per published port for, here one selector
 * thread for every port. A TCP forwarding accepts on the host address and passes each connection's bytes to the
 * container and back, through kernel pipes with splice(2) where it can (no copy into the JVM), else through two
 * buffers, passing half-closes on; a UDP forwarding keeps a flow (a connected socket towards
 * the container) per client address, dropped after an idle timeout.
 *
 * <p>Binding happens on the caller's thread, so "address already in use" reaches the caller; from then on
 * every channel belongs to the loop thread, and other threads only queue tasks for it. Closing a forwarding
 * waits until the loop has really closed the listening socket: a registered channel's socket is released only
 * when the selector drops its key, and the port must be free again when {@code leave} returns.
 */
public final class ProxyLoop implements Closeable {

    /** dockerd's docker-proxy forgets a UDP flow after 90 s without traffic. */
    public static final Duration DOCKER_UDP_TIMEOUT = Duration.ofSeconds(90);
    static final int BUFFER_SIZE = 64 * 1024;
    static final int MAX_UDP_FLOWS = 4096;

    private final Duration udpTimeout;
    private final boolean splice;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private Selector selector;
    private Thread thread;
    private volatile boolean closed;

    public ProxyLoop(Duration udpTimeout) {
        this(udpTimeout, true);
    }

    /** {@code splice} false copies every connection through buffers even where splice(2) is usable. */
    ProxyLoop(Duration udpTimeout, boolean splice) {
        this.udpTimeout = udpTimeout;
        this.splice = splice && Splicer.instance().available();
    }

    /** Whether TCP connections move through kernel pipes. */
    boolean splices() {
        return splice;
    }

    /** Something the loop calls when its channel is ready. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;

        /** Called once a second on the loop thread; for UDP flow expiry. */
        default void tick(long nowNanos) {}

        /** Releases the handler's sockets; on the loop thread. */
        void closeOnLoop();
    }

    /** A published port being forwarded: its actual address (the port chosen when 0 was asked) and a way to stop. */
    public interface Forwarding extends Closeable {
        InetSocketAddress address();

        @Override
        void close();
    }

    /** Listens on {@code listen} (port 0 for any) and forwards every TCP connection to {@code target}. */
    public Forwarding tcp(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(listen, 512);
            server.configureBlocking(false);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        TcpForwarding f = new TcpForwarding(this, server, target);
        register(server, SelectionKey.OP_ACCEPT, f);
        return f;
    }

    /** Binds {@code listen} and forwards UDP datagrams to {@code target}, replies back to each client. */
    public Forwarding udp(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.bind(listen);
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        UdpForwarding f = new UdpForwarding(this, channel, target, udpTimeout);
        register(channel, SelectionKey.OP_READ, f);
        return f;
    }

    Selector selector() {
        return selector;
    }

    private void register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        start();
        try {
            onLoop(() -> {
                channel.register(selector, ops, handler);
                return null;
            });
        } catch (IOException e) {
            handler.closeOnLoop();
            throw e;
        }
    }

    /** Runs {@code task} on the loop thread and waits for it. */
    <T> T onLoop(IoTask<T> task) throws IOException {
        if (Thread.currentThread() == thread) {
            return task.run();
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                done.complete(task.run());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        Selector s = selector;
        if (s == null || closed) {
            throw new IOException("the port proxy is closed");
        }
        s.wakeup();
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the port proxy did not answer in 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    interface IoTask<T> {
        T run() throws IOException;
    }

    /** Queues {@code action} for the loop without waiting (used by close, which may come from any thread). */
    void later(Runnable action) {
        tasks.add(action);
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    private synchronized void start() throws IOException {
        if (closed) {
            throw new IOException("the port proxy is closed");
        }
        if (thread != null) {
            return;
        }
        selector = Selector.open();
        thread = new Thread(this::run, "keel-port-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long nextTick = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try {
            while (!closed) {
                selector.select(1000);
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Handler h = (Handler) key.attachment();
                    try {
                        if (key.isValid()) {
                            h.ready(key);
                        }
                    } catch (IOException | RuntimeException e) {
                        h.closeOnLoop();
                    }
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TimeUnit.SECONDS.toNanos(1);
                    for (SelectionKey key : selector.keys()) {
                        if (key.isValid() && key.attachment() instanceof Handler h) {
                            h.tick(now);
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed underneath us: fall through and release everything
        } finally {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
            try {
                for (SelectionKey key : selector.keys()) {
                    if (key.attachment() instanceof Handler h) {
                        h.closeOnLoop();
                    }
                }
                selector.close();
            } catch (IOException | ClosedSelectorException e) {
                // nothing more to release
            }
        }
    }

    /** Makes the selector drop cancelled keys now, which is when their sockets really close. */
    void flushCancelled() {
        try {
            selector.selectNow();
        } catch (IOException e) {
            // the next select does it
        }
    }

    /** Stops the loop; every forwarding and connection is closed. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            selector.wakeup();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing: nothing to report to
        }
    }
}
