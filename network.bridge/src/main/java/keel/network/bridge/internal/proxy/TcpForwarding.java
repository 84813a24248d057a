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
            try {
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                upstream = SocketChannel.open();
                upstream.configureBlocking(false);
                upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Splice s = new Splice(client, upstream);
                splices.add(s);
                boolean connected = upstream.connect(target);
                s.clientKey = client.register(loop.selector(), 0, s.clientSide);
                s.upstreamKey = upstream.register(loop.selector(), connected ? 0 : SelectionKey.OP_CONNECT,
                        s.upstreamSide);
                if (connected) {
                    s.connected();
                }
            } catch (IOException e) {
                ProxyLoop.closeQuietly(client);
                ProxyLoop.closeQuietly(upstream);
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
            this.up = new Pipe(client, upstream);
            this.down = new Pipe(upstream, client);
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
            if (key.isReadable()) {
                from.read();
            }
            if (key.isWritable()) {
                to.flush();
            }
            from.flush(); // pass what was just read on at once: no wait for the next select
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

    /** One direction: bytes read from {@code from} wait in {@code buffer} until {@code to} takes them. */
    private static final class Pipe {
        final SocketChannel from;
        final SocketChannel to;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(ProxyLoop.BUFFER_SIZE);
        boolean eof;
        boolean shutdown;

        Pipe(SocketChannel from, SocketChannel to) {
            this.from = from;
            this.to = to;
        }

        boolean canRead() {
            return !eof && buffer.hasRemaining();
        }

        boolean pending() {
            return buffer.position() > 0;
        }

        boolean finished() {
            return shutdown;
        }

        void read() throws IOException {
            if (canRead() && from.read(buffer) < 0) {
                eof = true;
            }
        }

        void flush() throws IOException {
            if (pending() && to.isConnected()) {
                buffer.flip();
                to.write(buffer);
                buffer.compact();
            }
            if (eof && !pending() && !shutdown) {
                // Half-close: the other side learns there is nothing more, and may still answer.
                to.shutdownOutput();
                shutdown = true;
            }
        }
    }
}
