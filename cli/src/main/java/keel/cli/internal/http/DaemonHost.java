package keel.cli.internal.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.util.Map;

/**
 * Where the daemon listens: {@code unix:///path} or {@code tcp://host[:port]}, chosen as docker chooses
 * (the {@code -H} flag, then the environment, then the default socket). Keel reads {@code KEEL_HOST} before
 * {@code DOCKER_HOST} so a shell that also talks to Docker can point the two clients at different daemons.
 */
public final class DaemonHost {

    public static final String DEFAULT = "unix:///run/keel.sock";

    private final String uri;
    private final String unixPath;
    private final String tcpHost;
    private final int tcpPort;

    private DaemonHost(String uri, String unixPath, String tcpHost, int tcpPort) {
        this.uri = uri;
        this.unixPath = unixPath;
        this.tcpHost = tcpHost;
        this.tcpPort = tcpPort;
    }

    /** {@code -H} wins, then KEEL_HOST, then DOCKER_HOST, then {@link #DEFAULT}; empty values count as unset. */
    public static String select(String flag, Map<String, String> env) {
        if (flag != null && !flag.isEmpty()) {
            return flag;
        }
        String keel = env.get("KEEL_HOST");
        if (keel != null && !keel.isEmpty()) {
            return keel;
        }
        String docker = env.get("DOCKER_HOST");
        if (docker != null && !docker.isEmpty()) {
            return docker;
        }
        return DEFAULT;
    }

    public static DaemonHost parse(String spec) {
        String s = spec.trim();
        if (s.startsWith("unix://")) {
            String path = s.substring("unix://".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("unable to parse daemon host `" + spec + "`: empty socket path");
            }
            return new DaemonHost(s, path, null, 0);
        }
        String rest;
        if (s.startsWith("tcp://")) {
            rest = s.substring("tcp://".length());
        } else if (s.startsWith("http://")) {
            rest = s.substring("http://".length());
        } else if (s.startsWith("/")) {
            return new DaemonHost("unix://" + s, s, null, 0);
        } else if (!s.contains("://")) {
            rest = s;
        } else {
            throw new IllegalArgumentException("unable to parse daemon host `" + spec
                    + "`: only unix:// and tcp:// hosts are supported");
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash);
        }
        String host = rest;
        int port = 2375; // docker's default for plain tcp://
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            host = rest.substring(1, close);
            if (close + 1 < rest.length() && rest.charAt(close + 1) == ':') {
                port = parsePort(rest.substring(close + 2), spec);
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                host = rest.substring(0, colon);
                port = parsePort(rest.substring(colon + 1), spec);
            }
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        return new DaemonHost("tcp://" + rest, null, host, port);
    }

    private static int parsePort(String p, String spec) {
        try {
            int port = Integer.parseInt(p);
            if (port <= 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unable to parse daemon host `" + spec + "`: invalid port");
        }
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    public StandardProtocolFamily family() {
        return isUnix() ? StandardProtocolFamily.UNIX : null;
    }

    public SocketAddress address() {
        return isUnix() ? UnixDomainSocketAddress.of(unixPath) : new InetSocketAddress(tcpHost, tcpPort);
    }

    /** The Host header: docker sends a fixed name over Unix sockets. */
    public String hostHeader() {
        return isUnix() ? "api.moby.localhost" : (tcpHost.contains(":") ? "[" + tcpHost + "]" : tcpHost) + ":" + tcpPort;
    }

    /** The base URL docker shows in "check if the server supports the requested API version" errors. */
    public String urlBase() {
        if (isUnix()) {
            return "http://" + unixPath.replace("/", "%2F");
        }
        return "http://" + hostHeader();
    }

    @Override
    public String toString() {
        return uri;
    }
}
