package keel.cli.internal.container;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, 443/tcp". Ports are sorted (private port, IP, public port,
 * type); unpublished and same-number published ports are merged into ranges per type (and IP); ports published
 * under another number are listed after them as host->container mappings.
 */
final class PortsColumn {

    record Port(String ip, int privatePort, int publicPort, String type) {
    }

    private PortsColumn() {
    }

    static String format(List<Port> ports) {
        List<Port> sorted = new ArrayList<>(ports);
        sorted.sort(Comparator.comparingInt(Port::privatePort).thenComparing(Port::ip)
                .thenComparingInt(Port::publicPort).thenComparing(Port::type));
        Map<String, int[]> groups = new LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        List<String> hostMappings = new ArrayList<>();
        for (Port p : sorted) {
            int current = p.privatePort();
            String key = p.type();
            if (!p.ip().isEmpty()) {
                if (p.publicPort() != current) {
                    hostMappings.add(joinHostPort(p.ip(), Integer.toString(p.publicPort())) + "->" + p.privatePort()
                            + "/" + p.type());
                    continue;
                }
                key = p.ip() + "/" + p.type();
            }
            int[] g = groups.get(key);
            if (g == null) {
                groups.put(key, new int[] {current, current});
                continue;
            }
            if (current == g[1] + 1) {
                g[1] = current;
                continue;
            }
            result.add(group(key, g[0], g[1]));
            groups.put(key, new int[] {current, current});
        }
        for (Map.Entry<String, int[]> e : groups.entrySet()) {
            result.add(group(e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        result.addAll(hostMappings);
        return String.join(", ", result);
    }

    private static String group(String key, int start, int last) {
        String[] parts = key.split("/", -1);
        String type = parts[0];
        String ip = "";
        if (parts.length > 1) {
            ip = parts[0];
            type = parts[1];
        }
        String g = Integer.toString(start);
        if (start != last) {
            g = g + "-" + last;
        }
        if (!ip.isEmpty()) {
            g = joinHostPort(ip, g) + "->" + g;
        }
        return g + "/" + type;
    }

    private static String joinHostPort(String host, String port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
