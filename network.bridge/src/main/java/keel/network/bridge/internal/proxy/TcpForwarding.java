package keel.network.bridge.internal.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * One published TCP port: accepts on the host address and splices each connection with a new one to the
 * container, as docker-proxy does (it copies both ways and, when one side stops sending, shuts down the other
 * side's write half, so a client that half-closes still gets its whole answer).
 */
final class TcpForwarding implements ProxyLoop.Handler, ProxyLoop.Forwarding {

    private final ProxyLoop loop;
    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final InetSocketAddress address;
    /** Touched on the loop thread only. */
    private final Set<Splice> splices = new HashSet<>();

    TcpForwarding(ProxyLoop loop, ServerSocketChannel server, InetSocketAddress target) throws IOException {
        this.loop = loop;
        this.server = server;
        this.target = target;
        this.address = (InetSocketAddress) server.getLocalAddress();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        SocketChannel client;
        while ((client = server.accept()) != null) {
            SocketChannel upstream = null;
            Splice s = null;
            try {
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                upstream = SocketChannel.open();
                upstream.configureBlocking(false);
                upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
                s = new Splice(client, upstream);
                splices.add(s);
                boolean connected = upstream.connect(target);
                s.clientKey = client.register(loop.selector(), 0, s.clientSide);
                s.upstreamKey = upstream.register(loop.selector(), connected ? 0 : SelectionKey.OP_CONNECT,
                        s.upstreamSide);
                if (connected) {
                    s.connected();
                }
            } catch (IOException e) {
                if (s != null) {
                    s.abort();
                } else {
                    ProxyLoop.closeQuietly(client);
                    ProxyLoop.closeQuietly(upstream);
                }
            }
        }
    }

    /** Stops listening and drops every connection; returns when the port is free again. */
    @Override
    public void close() {
        try {
            loop.onLoop(() -> {
                closeNow();
                loop.flushCancelled();
                return null;
            });
        } catch (IOException e) {
            // the loop is gone, and with it every socket
        }
    }

    @Override
    public void closeOnLoop() {
        closeNow();
    }

    private void closeNow() {
        ProxyLoop.closeQuietly(server);
        for (Splice s : Set.copyOf(splices)) {
            s.abort();
        }
    }

    /** One proxied connection: two sockets, a buffer for each direction. */
    private final class Splice {
        final SocketChannel client;
        final SocketChannel upstream;
        /** Client to container, and back. */
        final Pipe up;
        final Pipe down;
        final Side clientSide = new Side(true);
        final Side upstreamSide = new Side(false);
        SelectionKey clientKey;
        SelectionKey upstreamKey;
        boolean open = true;

        Splice(SocketChannel client, SocketChannel upstream) {
            this.client = client;
            this.upstream = upstream;
            this.up = Pipe.of(loop.splices(), client, upstream);
            this.down = Pipe.of(loop.splices(), upstream, client);
        }

        void connected() {
            interests();
        }

        void handle(boolean clientReady, SelectionKey key) throws IOException {
            if (!clientReady && key.isConnectable()) {
                if (!upstream.finishConnect()) {
                    return;
                }
                interests();
                return;
            }
            Pipe from = clientReady ? up : down;
            Pipe to = clientReady ? down : up;
            if (key.isWritable()) {
                to.flush();
            }
            if (key.isReadable()) {
                // Read and pass on at once, a few rounds while both sockets keep up: each round saved is a select.
                for (int round = 0; round < 8; round++) {
                    long before = from.moved;
                    from.read();
                    from.flush();
                    if (from.moved == before || from.pending() || from.eof) {
                        break;
                    }
                }
            } else {
                from.flush();
            }
            if (up.finished() && down.finished()) {
                abort();
            } else {
                interests();
            }
        }

        private void interests() {
            if (!open) {
                return;
            }
            if (clientKey.isValid()) {
                clientKey.interestOps((up.canRead() ? SelectionKey.OP_READ : 0)
                        | (down.pending() ? SelectionKey.OP_WRITE : 0));
            }
            if (upstreamKey.isValid()) {
                upstreamKey.interestOps((down.canRead() ? SelectionKey.OP_READ : 0)
                        | (up.pending() ? SelectionKey.OP_WRITE : 0));
            }
        }

        void abort() {
            if (open) {
                open = false;
                splices.remove(this);
                up.release();
                down.release();
                ProxyLoop.closeQuietly(client);
                ProxyLoop.closeQuietly(upstream);
            }
        }

        /** The attachment of one of the two keys. */
        private final class Side implements ProxyLoop.Handler {
            private final boolean isClient;

            Side(boolean isClient) {
                this.isClient = isClient;
            }

            @Override
            public void ready(SelectionKey key) throws IOException {
                handle(isClient, key);
            }

            @Override
            public void closeOnLoop() {
                abort();
            }
        }
    }

    /** One direction of a connection: what was read from one socket and not yet written to the other. */
    private abstract static class Pipe {
        final SocketChannel from;
        final SocketChannel to;
        boolean eof;
        boolean shutdown;
        /** Bytes passed on so far. */
        long moved;

        Pipe(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }

        /** A pipe through the kernel where splice(2) is usable, else through a buffer. */
        static Pipe of(boolean splice, SocketChannel from, SocketChannel to) {
            if (splice) {
                try {
                    return new SplicedPipe(Splicer.instance(), from, to);
                } catch (IOException e) {
                    // out of descriptors for a pipe: this connection copies
                }
            }
            return new BufferedPipe(from, to);
        }

        abstract boolean canRead();

        abstract boolean pending();

        boolean finished() {
            return shutdown;
        }

        abstract void read() throws IOException;

        /** Passes on what is pending; once the input ended and nothing is pending, half-closes the output. */
        void flush() throws IOException {
            if (pending() && to.isConnected()) {
                write();
            }
            if (eof && !pending() && !shutdown) {
                // Half-close: the other side learns there is nothing more, and may still answer.
                to.shutdownOutput();
                shutdown = true;
            }
        }

        abstract void write() throws IOException;

        void release() {}
    }

    /** Bytes read from {@code from} wait in {@code buffer} until {@code to} takes them. */
    private static final class BufferedPipe extends Pipe {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(ProxyLoop.BUFFER_SIZE);

        BufferedPipe(SocketChannel from, SocketChannel to) {
            super(from, to);
        }

        @Override
        boolean canRead() {
            return !eof && buffer.hasRemaining();
        }

        @Override
        boolean pending() {
            return buffer.position() > 0;
        }

        @Override
        void read() throws IOException {
            if (canRead() && from.read(buffer) < 0) {
                eof = true;
            }
        }

        @Override
        void write() throws IOException {
            buffer.flip();
            moved += to.write(buffer);
            buffer.compact();
        }
    }

    /** Bytes spliced from {@code from} into a kernel pipe wait there until they are spliced into {@code to}. */
    private static final class SplicedPipe extends Pipe {
        final Splicer splicer;
        final int fromFd;
        final int toFd;
        final Splicer.KernelPipe pipe;
        long inPipe;

        SplicedPipe(Splicer splicer, SocketChannel from, SocketChannel to) throws IOException {
            super(from, to);
            this.splicer = splicer;
            this.fromFd = splicer.fd(from);
            this.toFd = splicer.fd(to);
            this.pipe = splicer.pipe();
        }

        @Override
        boolean canRead() {
            return !eof && inPipe < pipe.capacity();
        }

        @Override
        boolean pending() {
            return inPipe > 0;
        }

        @Override
        void read() throws IOException {
            if (canRead()) {
                long n = splicer.splice(fromFd, pipe.writeEnd(), pipe.capacity() - inPipe);
                if (n == 0) {
                    eof = true;
                } else if (n > 0) {
                    inPipe += n;
                }
            }
        }

        @Override
        void write() throws IOException {
            long n = splicer.splice(pipe.readEnd(), toFd, inPipe);
            if (n > 0) {
                inPipe -= n;
                moved += n;
            }
        }

        @Override
        void release() {
            splicer.close(pipe.readEnd());
            splicer.close(pipe.writeEnd());
        }
    }
}
