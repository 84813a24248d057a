package keel.engine.core.internal.network.dns;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import keel.engine.api.network.Sandbox;

/**
 * Docker's embedded DNS server (libnetwork resolver.go) for every container on a user-defined network, on ONE
 * selector thread. Each container gets a UDP and a TCP socket bound to 127.0.0.11:53 inside its network namespace:
 * they are made on a thread that entered the namespace ({@link Sandbox#call}), and a socket stays in the namespace it
 * was created in, so the selector thread (in the host's namespace) serves them all. 127.0.0.11 needs nothing but
 * loopback up: lo owns 127.0.0.0/8.
 *
 * <p>Names of containers on the networks the asking container shares with them are answered here (TTL 600, as
 * Docker's); the engine's own namespace without a match is NXDOMAIN; anything else goes to the upstream nameservers,
 * one after the other (at most 3, {@code upstreamTimeout} each, as Docker's maxExtDNS and extIOTimeout), over the
 * protocol the client used; none configured or none answering is SERVFAIL. Upstream sockets are opened on the
 * selector thread, hence in the host's namespace, where the host's loopback resolvers (systemd-resolved's
 * 127.0.0.53) answer, as Docker's HostLoopback forwarding does.
 */
public final class EmbeddedDns implements ContainerDns {

    private static final System.Logger LOG = System.getLogger(EmbeddedDns.class.getName());

    /** Docker's resolverIPSandbox. */
    public static final String ADDRESS = "127.0.0.11";
    static final long TTL = 600;
    static final int MAX_UPSTREAMS = 3;
    /** Docker's maxConcurrent: queries in flight upstream; more are REFUSED. */
    static final int MAX_FORWARDS = 1024;
    static final int MAX_TCP_CLIENTS = 64;
    static final long TCP_IDLE_MILLIS = 10_000;
    static final int TCP_LIMIT = 65535;

    private final DnsNames names;
    private final long upstreamTimeoutMillis;
    private final InetSocketAddress listen;
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final SecureRandom random = new SecureRandom();
    // selector thread only
    private final Set<Forward> forwards = new HashSet<>();
    private final Set<TcpClient> tcpClients = new HashSet<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(TCP_LIMIT + 2);
    private Selector selector;
    private Thread thread;
    private volatile boolean closed;

    /**
     * @param names           the engine's names and upstreams
     * @param upstreamTimeout how long one upstream nameserver gets to answer
     */
    public EmbeddedDns(DnsNames names, java.time.Duration upstreamTimeout) {
        this(names, upstreamTimeout, new InetSocketAddress(loopback11(), 53));
    }

    EmbeddedDns(DnsNames names, java.time.Duration upstreamTimeout, InetSocketAddress listen) {
        this.names = names;
        this.upstreamTimeoutMillis = upstreamTimeout.toMillis();
        this.listen = listen;
    }

    private static InetAddress loopback11() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 11}); // a literal: nothing is resolved
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens the container's sockets in its namespace and serves them; replaces the container's previous ones.
     *
     * @throws IOException when the namespace cannot be entered or the address is taken there
     */
    @Override
    public void open(String containerId, Sandbox sandbox) throws IOException {
        if (closed) {
            throw new IOException("the embedded DNS server is closed");
        }
        DatagramChannel udp;
        ServerSocketChannel tcp;
        try {
            Object[] made = sandbox.call(() -> {
                DatagramChannel u = DatagramChannel.open(StandardProtocolFamily.INET);
                ServerSocketChannel t = null;
                try {
                    u.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    u.bind(listen);
                    t = ServerSocketChannel.open(StandardProtocolFamily.INET);
                    t.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    t.bind(listen, 128);
                    return new Object[] {u, t};
                } catch (IOException | RuntimeException e) {
                    u.close();
                    if (t != null) {
                        t.close();
                    }
                    throw e;
                }
            });
            udp = (DatagramChannel) made[0];
            tcp = (ServerSocketChannel) made[1];
        } catch (IOException e) {
            throw new IOException("cannot listen on " + ADDRESS + ":53 in the network namespace of container "
                    + containerId + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException("cannot enter the network namespace of container " + containerId + ": "
                    + e.getMessage(), e);
        }
        udp.configureBlocking(false);
        tcp.configureBlocking(false);
        Listener l = new Listener(containerId, udp, tcp);
        Listener old = listeners.put(containerId, l);
        start();
        submit(() -> {
            if (old != null) {
                old.close();
            }
            if (listeners.get(containerId) != l) {
                l.close(); // closed or replaced meanwhile
                return;
            }
            try {
                udp.register(selector, SelectionKey.OP_READ, l);
                tcp.register(selector, SelectionKey.OP_ACCEPT, l);
            } catch (ClosedChannelException e) {
                l.close();
            }
        });
    }

    /** Stops serving the container (its namespace may be gone already). */
    @Override
    public void close(String containerId) {
        Listener l = listeners.remove(containerId);
        if (l != null) {
            if (!submit(l::close)) {
                l.close();
            }
        }
    }

    @Override
    public boolean isOpen(String containerId) {
        return listeners.containsKey(containerId);
    }

    /** Closes every socket and ends the thread. */
    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
            if (selector != null) {
                selector.wakeup();
            }
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (selector != null) {
                closeQuietly(selector);
            }
        }
        listeners.values().forEach(Listener::close);
        listeners.clear();
        forwards.forEach(Forward::closeChannel);
        forwards.clear();
        tcpClients.forEach(TcpClient::close);
        tcpClients.clear();
    }

    private synchronized void start() throws IOException {
        if (thread != null) {
            return;
        }
        selector = Selector.open();
        thread = new Thread(this::loop, "keel-dns");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean submit(Runnable task) {
        Selector s;
        synchronized (this) {
            s = selector;
        }
        if (s == null || closed) {
            return false;
        }
        tasks.add(task);
        s.wakeup();
        return true;
    }

    // ------------------------------------------------------------------------------------------------------------
    // The loop

    private void loop() {
        while (!closed) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long wait = sweep(System.nanoTime());
                selector.select(Math.max(1, wait));
                Set<SelectionKey> ready = selector.selectedKeys();
                for (SelectionKey k : ready) {
                    dispatch(k);
                }
                ready.clear();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "embedded DNS server: " + e.getMessage(), e);
                }
            }
        }
    }

    private void dispatch(SelectionKey k) {
        Object a = k.attachment();
        try {
            if (!k.isValid()) {
                return;
            }
            if (a instanceof Listener l) {
                if (k.channel() == l.udp && k.isReadable()) {
                    readUdp(l);
                } else if (k.isAcceptable()) {
                    accept(l);
                }
            } else if (a instanceof TcpClient c) {
                if (k.isReadable()) {
                    c.read();
                }
                if (k.isValid() && k.isWritable()) {
                    c.flush();
                }
            } else if (a instanceof Forward f) {
                f.ready(k);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "embedded DNS server: " + e, e);
            if (a instanceof TcpClient c) {
                c.close();
            } else if (a instanceof Forward f) {
                f.closeChannel();
                attempt(f);
            }
        }
    }

    /** Times out forwards and idle TCP clients; returns how long the loop may wait (ms). */
    private long sweep(long now) {
        long next = TimeUnit.SECONDS.toNanos(1);
        for (Forward f : new ArrayList<>(forwards)) {
            long left = f.deadline - now;
            if (left <= 0) {
                f.closeChannel();
                attempt(f);
            } else {
                next = Math.min(next, left);
            }
        }
        for (TcpClient c : new ArrayList<>(tcpClients)) {
            if (c.pending == 0 && now - c.lastActive > TimeUnit.MILLISECONDS.toNanos(TCP_IDLE_MILLIS)) {
                c.close();
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(next) + 1;
    }

    private void readUdp(Listener l) throws IOException {
        for (int i = 0; i < 64; i++) { // a bounded batch: other sockets get their turn
            buffer.clear();
            SocketAddress from = l.udp.receive(buffer);
            if (from == null) {
                return;
            }
            byte[] q = Arrays.copyOf(buffer.array(), buffer.position());
            handle(l, q, new UdpClient(l.udp, from));
        }
    }

    private void accept(Listener l) throws IOException {
        SocketChannel ch = l.tcp.accept();
        if (ch == null) {
            return;
        }
        if (l.clients.size() >= MAX_TCP_CLIENTS) {
            ch.close();
            return;
        }
        ch.configureBlocking(false);
        TcpClient c = new TcpClient(l, ch);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        l.clients.add(c);
        tcpClients.add(c);
    }

    /** Answers one query from a container: locally, NXDOMAIN, or through the upstreams. */
    private void handle(Listener l, byte[] q, Client client) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(q, q.length);
        } catch (DnsMessage.FormatException e) {
            if (q.length >= DnsMessage.HEADER) {
                byte[] r = new byte[DnsMessage.HEADER];
                DnsMessage.put16(r, 0, DnsMessage.id(q));
                DnsMessage.put16(r, 2, DnsMessage.QR | DnsMessage.RA | DnsMessage.FORMERR);
                client.send(r);
            }
            return;
        }
        if (m.isResponse() || m.questions().isEmpty()) {
            return; // Docker's resolver ignores these too
        }
        if (m.opcode() != 0) {
            client.send(m.reply(DnsMessage.NOTIMP));
            return;
        }
        DnsMessage.Question question = m.questions().get(0);
        DnsNames.Lookup found = DnsNames.Lookup.FORWARD;
        if (question.qclass() == DnsMessage.CLASS_IN && (question.type() == DnsMessage.TYPE_A
                || question.type() == DnsMessage.TYPE_AAAA || question.type() == DnsMessage.TYPE_MX)) {
            String name = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1)
                    : question.name();
            found = names.lookup(l.containerId, name, question.type());
        }
        switch (found.outcome()) {
            case ANSWER -> {
                int size = question.type() == DnsMessage.TYPE_AAAA ? 16 : 4;
                List<byte[]> of = new ArrayList<>();
                if (question.type() != DnsMessage.TYPE_MX) { // MX: "implicit MX", NOERROR with no records
                    for (byte[] a : found.addresses()) {
                        if (a.length == size) {
                            of.add(a);
                        }
                    }
                }
                java.util.Collections.shuffle(of, random); // as Docker's, a crude balancing among replicas
                client.send(m.reply(DnsMessage.NOERROR, of, TTL, client.limit(m)));
            }
            case NXDOMAIN -> client.send(m.reply(DnsMessage.NXDOMAIN));
            case FORWARD -> forward(l, m, q, client);
        }
    }

    private void forward(Listener l, DnsMessage m, byte[] q, Client client) {
        List<InetSocketAddress> upstreams = names.upstreams(l.containerId);
        if (upstreams.isEmpty()) {
            client.send(m.reply(DnsMessage.SERVFAIL));
            return;
        }
        if (forwards.size() >= MAX_FORWARDS) {
            client.send(m.reply(DnsMessage.REFUSED));
            return;
        }
        Forward f = new Forward(m, q, client,
                upstreams.subList(0, Math.min(MAX_UPSTREAMS, upstreams.size())));
        forwards.add(f);
        client.pending(1);
        attempt(f);
    }

    /** Sends the query to the forward's next upstream, or answers SERVFAIL when none is left. */
    private void attempt(Forward f) {
        while (f.next < f.upstreams.size()) {
            InetSocketAddress server = f.upstreams.get(f.next++);
            f.id = random.nextInt(0x10000);
            byte[] out = f.query.clone();
            DnsMessage.setId(out, f.id);
            try {
                f.open(server, out);
                f.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(upstreamTimeoutMillis);
                return;
            } catch (IOException | RuntimeException e) {
                f.closeChannel();
                LOG.log(Level.DEBUG, "forwarding a DNS query to {0} failed: {1}", server, e.toString());
            }
        }
        finish(f, f.message.reply(DnsMessage.SERVFAIL));
    }

    private void finish(Forward f, byte[] reply) {
        f.closeChannel();
        if (forwards.remove(f)) {
            f.client.pending(-1);
            f.client.send(reply);
        }
    }

    /** An upstream's reply arrived: passed on with the client's ID, unless it failed and another upstream is left. */
    private void answered(Forward f, byte[] reply) {
        if (reply.length < DnsMessage.HEADER || DnsMessage.id(reply) != f.id) {
            return; // not the reply to this query: keep waiting
        }
        int rcode = reply[3] & 0xf;
        if ((rcode == DnsMessage.SERVFAIL || rcode == DnsMessage.REFUSED) && f.next < f.upstreams.size()) {
            f.closeChannel();
            attempt(f);
            return;
        }
        DnsMessage.setId(reply, f.message.id());
        finish(f, reply);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Parts

    /** One container's sockets. */
    private static final class Listener {
        final String containerId;
        final DatagramChannel udp;
        final ServerSocketChannel tcp;
        final Set<TcpClient> clients = new HashSet<>();

        Listener(String containerId, DatagramChannel udp, ServerSocketChannel tcp) {
            this.containerId = containerId;
            this.udp = udp;
            this.tcp = tcp;
        }

        void close() {
            closeQuietly(udp);
            closeQuietly(tcp);
            for (TcpClient c : List.copyOf(clients)) {
                c.close();
            }
        }
    }

    /** Where a reply goes. */
    private interface Client {
        void send(byte[] reply);

        /** The largest reply the client takes. */
        int limit(DnsMessage query);

        default void pending(int delta) {}

        boolean isTcp();
    }

    private static final class UdpClient implements Client {
        final DatagramChannel channel;
        final SocketAddress address;

        UdpClient(DatagramChannel channel, SocketAddress address) {
            this.channel = channel;
            this.address = address;
        }

        @Override
        public void send(byte[] reply) {
            try {
                channel.send(ByteBuffer.wrap(reply), address);
            } catch (IOException e) {
                // the container is gone, or its socket buffer is full: UDP may drop, the client retries
            }
        }

        @Override
        public int limit(DnsMessage query) {
            return query.udpPayloadSize();
        }

        @Override
        public boolean isTcp() {
            return false;
        }
    }

    /** A TCP connection from a container: length-prefixed messages both ways (RFC 1035 section 4.2.2). */
    private final class TcpClient implements Client {
        final Listener listener;
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(TCP_LIMIT + 2);
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        SelectionKey key;
        long lastActive = System.nanoTime();
        int pending;

        TcpClient(Listener listener, SocketChannel channel) {
            this.listener = listener;
            this.channel = channel;
        }

        void read() throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                close();
                return;
            }
            lastActive = System.nanoTime();
            while (in.position() >= 2) {
                int len = DnsMessage.u16(in.array(), 0);
                if (in.position() < 2 + len) {
                    break;
                }
                byte[] q = Arrays.copyOfRange(in.array(), 2, 2 + len);
                in.flip();
                in.position(2 + len);
                in.compact();
                handle(listener, q, this);
            }
        }

        @Override
        public void send(byte[] reply) {
            if (!channel.isOpen()) {
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(2 + reply.length);
            b.putShort((short) reply.length).put(reply).flip();
            out.add(b);
            try {
                flush();
            } catch (IOException e) {
                close();
            }
        }

        void flush() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer b = out.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                out.poll();
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
            lastActive = System.nanoTime();
        }

        @Override
        public int limit(DnsMessage query) {
            return TCP_LIMIT;
        }

        @Override
        public void pending(int delta) {
            pending += delta;
        }

        @Override
        public boolean isTcp() {
            return true;
        }

        void close() {
            closeQuietly(channel);
            listener.clients.remove(this);
            tcpClients.remove(this);
        }
    }

    /** A query sent upstream: over UDP, or TCP when the container asked over TCP. */
    private final class Forward {
        final DnsMessage message;
        final byte[] query;
        final Client client;
        final List<InetSocketAddress> upstreams;
        int next;
        int id;
        long deadline;
        SelectableChannel channel;
        ByteBuffer tcpOut;
        ByteBuffer tcpIn;

        Forward(DnsMessage message, byte[] query, Client client, List<InetSocketAddress> upstreams) {
            this.message = message;
            this.query = query;
            this.client = client;
            this.upstreams = upstreams;
        }

        void open(InetSocketAddress server, byte[] out) throws IOException {
            if (!client.isTcp()) {
                DatagramChannel ch = DatagramChannel.open();
                channel = ch;
                ch.configureBlocking(false);
                ch.connect(server); // only the server's datagrams are received
                ch.write(ByteBuffer.wrap(out));
                ch.register(selector, SelectionKey.OP_READ, this);
                return;
            }
            SocketChannel ch = SocketChannel.open();
            channel = ch;
            ch.configureBlocking(false);
            tcpOut = ByteBuffer.allocate(2 + out.length);
            tcpOut.putShort((short) out.length).put(out).flip();
            tcpIn = ByteBuffer.allocate(TCP_LIMIT + 2);
            boolean connected = ch.connect(server);
            ch.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
        }

        void ready(SelectionKey k) throws IOException {
            if (channel instanceof DatagramChannel ch) {
                buffer.clear();
                int n = ch.read(buffer);
                if (n > 0) {
                    answered(this, Arrays.copyOf(buffer.array(), n));
                }
                return;
            }
            SocketChannel ch = (SocketChannel) channel;
            if (k.isConnectable() && ch.finishConnect()) {
                k.interestOps(SelectionKey.OP_WRITE);
            }
            if (k.isValid() && k.isWritable()) {
                ch.write(tcpOut);
                if (!tcpOut.hasRemaining()) {
                    k.interestOps(SelectionKey.OP_READ);
                }
            }
            if (k.isValid() && k.isReadable()) {
                if (ch.read(tcpIn) < 0) {
                    throw new IOException("the upstream nameserver closed the connection");
                }
                if (tcpIn.position() >= 2) {
                    int len = DnsMessage.u16(tcpIn.array(), 0);
                    if (tcpIn.position() >= 2 + len) {
                        answered(this, Arrays.copyOfRange(tcpIn.array(), 2, 2 + len));
                    }
                }
            }
        }

        void closeChannel() {
            if (channel != null) {
                closeQuietly(channel);
                channel = null;
            }
        }
    }
}
