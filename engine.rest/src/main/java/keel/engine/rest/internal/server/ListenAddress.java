package keel.engine.rest.internal.server;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the API listens, from a {@code hosts} entry as dockerd's {@code -H} spells it: {@code unix:///run/keel.sock}
 * or {@code tcp://127.0.0.1:2375}. TCP is refused on anything but a loopback address: the API is root on the
 * host, and without TLS and client certificates anyone who can reach the port owns the machine.
 */
public sealed interface ListenAddress permits ListenAddress.UnixSocket, ListenAddress.LoopbackTcp {

    /** dockerd's default port for plain TCP. */
    int DEFAULT_TCP_PORT = 2375;

    /** sun_path is 108 bytes on Linux, including the terminating NUL. */
    int MAX_SOCKET_PATH = 107;

    record UnixSocket(Path path) implements ListenAddress {
        @Override
        public String toString() {
            return "unix://" + path;
        }
    }

    /** {@code port} 0 picks a free port (tests). */
    record LoopbackTcp(InetAddress address, int port) implements ListenAddress {
        @Override
        public String toString() {
            String host = address.getHostAddress();
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static ListenAddress parse(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty API host: use unix:///path or tcp://127.0.0.1:PORT");
        }
        String h = host.trim();
        if (h.startsWith("unix://")) {
            String path = h.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("API host " + h + ": the socket path must be absolute");
            }
            if (path.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
                throw new IllegalArgumentException("API host " + h + ": a Unix socket path has at most "
                        + MAX_SOCKET_PATH + " bytes");
            }
            return new UnixSocket(Path.of(path).normalize());
        }
        if (h.startsWith("tcp://")) {
            return tcp(h);
        }
        if (h.startsWith("fd://")) {
            throw new IllegalArgumentException("API host " + h + ": socket activation (fd://) is not supported");
        }
        throw new IllegalArgumentException("API host " + h + ": unsupported; use unix:///path or "
                + "tcp://127.0.0.1:PORT");
    }

    private static LoopbackTcp tcp(String h) {
        URI uri;
        try {
            uri = new URI(h);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("API host " + h + ": " + e.getMessage(), e);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("API host " + h + ": refusing to listen on every interface; "
                    + "only loopback addresses (127.0.0.1, ::1, localhost) are allowed until TLS is supported");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("API host " + h + ": a TCP host has no path");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("API host " + h + ": unknown host " + uri.getHost(), e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("API host " + h + ": refusing to listen on non-loopback address "
                    + address.getHostAddress() + "; without TLS only loopback addresses (127.0.0.1, ::1, "
                    + "localhost) are allowed");
        }
        int port = uri.getPort() < 0 ? DEFAULT_TCP_PORT : uri.getPort();
        return new LoopbackTcp(address, port);
    }
}
