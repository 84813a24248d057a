package keel.engine.rest.internal.server;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty server with one connector per listen address, all serving one handler.
 */
public final class ApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());

    private final List<ListenAddress> addresses;
    private final String socketGroup;
    private final Handler handler;
    private final Request.Handler errorHandler;
    private final List<UnixSocketFile> sockets = new ArrayList<>();
    private final Map<ListenAddress, ServerConnector> tcpConnectors = new LinkedHashMap<>();
    private Server server;

    /**
     * @param socketGroup the group that may use the Unix sockets (root's when it does not exist)
     * @param errorHandler answers what Jetty refuses before {@code handler} sees it (bad URIs, huge headers)
     */
    public ApiServer(List<ListenAddress> addresses, String socketGroup, Handler handler,
            Request.Handler errorHandler) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no API host configured");
        }
        this.addresses = List.copyOf(addresses);
        this.socketGroup = socketGroup;
        this.handler = handler;
        this.errorHandler = errorHandler;
    }

    public synchronized void start() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("keel-api");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        // The handler sends Docker's Server header; Jetty's would name Jetty's version.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No header cache: it is a trie built per connection (some 100 KiB) to parse the headers of later requests
        // faster, while a docker CLI sends two or three requests per connection; and a connection whose request
        // waits on the engine (docker run -d leaves a wait behind it until the container exits: Jetty cannot see an
        // HTTP/1.1 client go while nothing is read) would keep it for as long.
        http.setHeaderCacheSize(0);
        Map<UnixSocketFile, Path> staged = new LinkedHashMap<>();
        try {
            for (ListenAddress address : addresses) {
                if (address instanceof ListenAddress.UnixSocket) {
                    UnixSocketFile socket = new UnixSocketFile(((ListenAddress.UnixSocket) address).path(),
                            socketGroup);
                    Path bindPath = socket.prepare();
                    sockets.add(socket);
                    staged.put(socket, bindPath);
                    UnixDomainServerConnector c = new UnixDomainServerConnector(server,
                            new HttpConnectionFactory(http));
                    c.setUnixDomainPath(bindPath);
                    // dockerd has no idle timeout on its socket: a load may sit between reads while a layer is
                    // unpacked, and streams (events, logs -f) are idle by nature.
                    c.setIdleTimeout(0);
                    server.addConnector(c);
                } else {
                    ListenAddress.LoopbackTcp tcp = (ListenAddress.LoopbackTcp) address;
                    ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
                    c.setHost(tcp.address().getHostAddress());
                    c.setPort(tcp.port());
                    c.setIdleTimeout(0);
                    server.addConnector(c);
                    tcpConnectors.put(address, c);
                }
            }
            server.setHandler(handler);
            server.setErrorHandler(errorHandler);
            server.start();
            for (Map.Entry<UnixSocketFile, Path> e : staged.entrySet()) {
                e.getKey().publish(e.getValue());
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        LOG.log(Level.INFO, "Docker API listening on " + listening());
    }

    /** The addresses as bound (a TCP port 0 replaced by the port chosen). */
    public synchronized List<String> listening() {
        List<String> out = new ArrayList<>();
        for (ListenAddress a : addresses) {
            ServerConnector c = tcpConnectors.get(a);
            if (c != null) {
                out.add(new ListenAddress.LoopbackTcp(((ListenAddress.LoopbackTcp) a).address(), c.getLocalPort())
                        .toString());
            } else {
                out.add(a.toString());
            }
        }
        return out;
    }

    /** The port a TCP address is bound to, e.g. after asking for port 0. */
    public synchronized int localPort(ListenAddress address) {
        ServerConnector c = tcpConnectors.get(address);
        if (c == null) {
            throw new IllegalArgumentException("not a TCP address of this server: " + address);
        }
        return c.getLocalPort();
    }

    /** Stops serving (requests in flight are cut) and removes the socket files. */
    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "stopping the API server failed: " + e.getMessage(), e);
            }
            server = null;
        }
        for (UnixSocketFile s : sockets) {
            s.remove();
        }
        sockets.clear();
        tcpConnectors.clear();
    }
}
