package keel.network.bridge.internal.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One published UDP port. UDP has no connections, so, like docker-proxy, it keeps a flow per client address: a
 * socket connected to the container, whose replies go back to that client from the published port. A flow
 * without traffic for the timeout is closed.
 */
final class UdpForwarding implements ProxyLoop.Handler, ProxyLoop.Forwarding {

    /** The largest UDP payload over IPv4. */
    private static final int DATAGRAM = 65507;

    private final ProxyLoop loop;
    private final DatagramChannel channel;
    private final InetSocketAddress target;
    private final InetSocketAddress address;
    private final long timeoutNanos;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(DATAGRAM);
    /** Touched on the loop thread only. */
    private final Map<SocketAddress, Flow> flows = new HashMap<>();

    UdpForwarding(ProxyLoop loop, DatagramChannel channel, InetSocketAddress target, Duration timeout)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.target = target;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** The number of live flows (for tests). */
    int flows() throws IOException {
        return loop.onLoop(flows::size);
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        for (int i = 0; i < 64; i++) { // a burst at most, then let the other channels have the loop
            buffer.clear();
            SocketAddress client = channel.receive(buffer);
            if (client == null) {
                return;
            }
            buffer.flip();
            Flow flow = flows.get(client);
            if (flow == null) {
                if (flows.size() >= ProxyLoop.MAX_UDP_FLOWS) {
                    continue; // dropped, as a full conntrack table would
                }
                try {
                    flow = new Flow(client);
                } catch (IOException e) {
                    continue; // out of sockets: this datagram is lost, the port keeps working
                }
                flows.put(client, flow);
            }
            flow.lastSeen = System.nanoTime();
            try {
                flow.upstream.write(buffer);
            } catch (IOException e) {
                // ECONNREFUSED from an earlier ICMP, or the container is gone: the datagram is lost, as UDP may
            }
        }
    }

    @Override
    public void tick(long now) {
        for (Flow f : List.copyOf(flows.values())) {
            if (now - f.lastSeen > timeoutNanos) {
                f.closeOnLoop();
            }
        }
    }

    @Override
    public void close() {
        try {
            loop.onLoop(() -> {
                closeOnLoop();
                loop.flushCancelled();
                return null;
            });
        } catch (IOException e) {
            // the loop is gone, and with it every socket
        }
    }

    @Override
    public void closeOnLoop() {
        ProxyLoop.closeQuietly(channel);
        for (Flow f : List.copyOf(flows.values())) {
            f.closeOnLoop();
        }
    }

    /** One client's flow: its own socket towards the container. */
    private final class Flow implements ProxyLoop.Handler {
        final SocketAddress client;
        final DatagramChannel upstream;
        long lastSeen;

        Flow(SocketAddress client) throws IOException {
            this.client = client;
            this.upstream = DatagramChannel.open();
            try {
                upstream.configureBlocking(false);
                upstream.connect(target);
                upstream.register(loop.selector(), SelectionKey.OP_READ, this);
            } catch (IOException e) {
                upstream.close();
                throw e;
            }
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            for (int i = 0; i < 64; i++) {
                buffer.clear();
                int n;
                try {
                    n = upstream.read(buffer);
                } catch (IOException e) {
                    return; // an ICMP error for an earlier datagram; the flow stays
                }
                if (n <= 0) {
                    return;
                }
                buffer.flip();
                lastSeen = System.nanoTime();
                channel.send(buffer, client);
            }
        }

        @Override
        public void closeOnLoop() {
            flows.remove(client);
            ProxyLoop.closeQuietly(upstream);
        }
    }
}
