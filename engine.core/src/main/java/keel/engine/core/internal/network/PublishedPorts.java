package keel.engine.core.internal.network;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.HostConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.api.network.EndpointSpec.PortMapping;
import keel.engine.core.internal.network.ipam.Ipv4;

/**
 * A container's published ports: what {@code -p} ({@code HostConfig.PortBindings}) and {@code -P}
 * ({@code PublishAllPorts} over {@code ExposedPorts}) ask for, and how inspect ({@code NetworkSettings.Ports}) and
 * {@code docker ps} show the ports once bound, as daemon/container_operations.go and daemon/list.go do. IPv4 only:
 * an empty host IP is published on 0.0.0.0.
 */
final class PublishedPorts {

    private PublishedPorts() {}

    /** A port key of Docker's: {@code 80/tcp}; a bare {@code 80} is TCP. */
    record PortKey(int port, String protocol) implements Comparable<PortKey> {
        static PortKey parse(String key) {
            int slash = key.indexOf('/');
            String p = slash < 0 ? key : key.substring(0, slash);
            String proto = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase(Locale.ROOT);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                throw EngineException.invalid("invalid proto: " + proto);
            }
            return new PortKey(PublishedPorts.port(p, "invalid containerPort: " + p), proto);
        }

        @Override
        public String toString() {
            return port + "/" + protocol;
        }

        @Override
        public int compareTo(PortKey o) {
            return port != o.port ? Integer.compare(port, o.port) : protocol.compareTo(o.protocol);
        }
    }

    /**
     * The ports to publish, in a stable order (by port, then protocol, then as listed): {@code -p} bindings, and
     * with {@code -P} every exposed port without one on an ephemeral host port.
     *
     * @throws EngineException INVALID_PARAMETER for a bad port, host port or host IP
     */
    static List<PortMapping> requested(ContainerConfig config, HostConfig hc) {
        Map<PortKey, List<HostConfig.PortBinding>> bindings = new TreeMap<>();
        if (hc.portBindings() != null) {
            for (Map.Entry<String, List<HostConfig.PortBinding>> e : hc.portBindings().entrySet()) {
                PortKey k = PortKey.parse(e.getKey());
                List<HostConfig.PortBinding> list = e.getValue() == null || e.getValue().isEmpty()
                        ? List.of(new HostConfig.PortBinding("", "")) : e.getValue();
                bindings.computeIfAbsent(k, x -> new ArrayList<>()).addAll(list);
            }
        }
        if (Boolean.TRUE.equals(hc.publishAllPorts()) && config.exposedPorts() != null) {
            for (String key : config.exposedPorts().keySet()) {
                bindings.computeIfAbsent(PortKey.parse(key),
                        k -> new ArrayList<>(List.of(new HostConfig.PortBinding("", ""))));
            }
        }
        List<PortMapping> out = new ArrayList<>();
        for (Map.Entry<PortKey, List<HostConfig.PortBinding>> e : bindings.entrySet()) {
            if (e.getKey().protocol().equals("sctp")) {
                throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                        "publishing SCTP ports is not supported: " + e.getKey());
            }
            for (HostConfig.PortBinding b : e.getValue()) {
                String ip = b.hostIp() == null ? "" : b.hostIp().trim();
                if (ip.equals("0.0.0.0")) {
                    ip = "";
                }
                if (!ip.isEmpty() && Ipv4.tryParse(ip) == null) {
                    if (ip.indexOf(':') >= 0) {
                        continue; // an IPv6 binding (the CLI's "::" twin of 0.0.0.0): IPv4 networks only
                    }
                    throw EngineException.invalid("invalid IP address: " + ip);
                }
                int hostPort = hostPort(b.hostPort(), e.getKey().protocol(), ip);
                out.add(new PortMapping(e.getKey().protocol(), e.getKey().port(), ip, hostPort));
            }
        }
        return out;
    }

    /** A host port: empty or 0 is ephemeral; {@code a-b} is the first port of the range free now. */
    private static int hostPort(String s, String protocol, String ip) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        String v = s.trim();
        int dash = v.indexOf('-');
        if (dash < 0) {
            return port0(v);
        }
        int lo = port0(v.substring(0, dash));
        int hi = port0(v.substring(dash + 1));
        if (hi < lo) {
            throw EngineException.invalid("invalid hostPort: " + s);
        }
        for (int p = lo; p <= hi; p++) {
            if (free(protocol, ip, p)) {
                return p;
            }
        }
        // all taken: the first one's bind fails with Docker's "port is already allocated"
        return lo;
    }

    private static boolean free(String protocol, String ip, int port) {
        try {
            InetAddress a = InetAddress.getByName(ip.isEmpty() ? "0.0.0.0" : ip); // a literal, never resolved
            if (protocol.equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(a, port))) {
                    return true;
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(a, port));
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static int port(String s, String message) {
        int p = port0(s);
        if (p == 0) {
            throw EngineException.invalid(message);
        }
        return p;
    }

    private static int port0(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p < 0 || p > 65535) {
                throw EngineException.invalid("invalid port " + s + ": out of range");
            }
            return p;
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid port specification: \"" + s + "\"");
        }
    }

    /**
     * {@code NetworkSettings.Ports} of a running container: every exposed or published port, with its bindings as
     * bound ({@code {"HostIp":"0.0.0.0","HostPort":"8080"}}), null for a port that is only exposed.
     */
    static Map<String, List<HostConfig.PortBinding>> inspect(ContainerConfig config, List<PortMapping> bound) {
        Map<PortKey, List<HostConfig.PortBinding>> out = new TreeMap<>();
        if (config.exposedPorts() != null) {
            for (String key : config.exposedPorts().keySet()) {
                try {
                    out.putIfAbsent(PortKey.parse(key), null);
                } catch (EngineException e) {
                    // an image's odd port: Docker logs it and carries on
                }
            }
        }
        for (PortMapping m : bound) {
            PortKey k = new PortKey(m.containerPort(), m.protocol());
            List<HostConfig.PortBinding> list = out.get(k);
            if (list == null) {
                list = new ArrayList<>();
                out.put(k, list);
            }
            list.add(new HostConfig.PortBinding(m.hostIp() == null || m.hostIp().isEmpty() ? "0.0.0.0"
                    : m.hostIp(), Integer.toString(m.hostPort())));
        }
        Map<String, List<HostConfig.PortBinding>> byName = new LinkedHashMap<>();
        out.forEach((k, v) -> byName.put(k.toString(), v));
        return byName;
    }

    /** {@code docker ps}'s ports: one per binding, and one without a public port per port only exposed. */
    static List<ContainerSummary.Port> summary(ContainerConfig config, List<PortMapping> bound) {
        List<ContainerSummary.Port> out = new ArrayList<>();
        inspect(config, bound).forEach((key, bindings) -> {
            PortKey k = PortKey.parse(key);
            if (bindings == null) {
                out.add(new ContainerSummary.Port(null, k.port(), null, k.protocol()));
                return;
            }
            for (HostConfig.PortBinding b : bindings) {
                out.add(new ContainerSummary.Port(b.hostIp(), k.port(), Integer.parseInt(b.hostPort()),
                        k.protocol()));
            }
        });
        return out;
    }
}
