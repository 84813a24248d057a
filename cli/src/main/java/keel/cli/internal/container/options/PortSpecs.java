package keel.cli.internal.container.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * docker's -p/--publish and --expose (go-connections/nat): {@code [ip:][hostPort:]containerPort[/proto]} with port
 * ranges, the long form {@code published=8080,target=80,protocol=udp}, into ExposedPorts and PortBindings keyed by
 * "80/tcp". Go marshals maps with sorted keys, hence the TreeMaps.
 */
public final class PortSpecs {

    private final Map<String, Map<String, Object>> exposed = new TreeMap<>();
    private final Map<String, List<Map<String, Object>>> bindings = new TreeMap<>();

    public Map<String, Map<String, Object>> exposedPorts() {
        return exposed;
    }

    public Map<String, List<Map<String, Object>>> portBindings() {
        return bindings;
    }

    public static PortSpecs parse(List<String> publish, List<String> expose) throws BadValue {
        PortSpecs specs = new PortSpecs();
        for (String p : publish) {
            specs.publish(standardNotation(p));
        }
        for (String e : expose) {
            if (e.contains(":")) {
                throw new BadValue("invalid port format for --expose: " + e);
            }
            String[] pp = splitProtoPort(e);
            long[] range;
            try {
                range = portRange(pp[1]);
            } catch (BadValue err) {
                throw new BadValue("invalid range format for --expose: " + e + ", error: " + err.getMessage());
            }
            for (long i = range[0]; i <= range[1]; i++) {
                specs.exposed.putIfAbsent(i + "/" + pp[0], new LinkedHashMap<>());
            }
        }
        return specs;
    }

    /** The long syntax ("published=8080,target=80") as the short one docker converts it to. */
    private static String standardNotation(String publish) throws BadValue {
        if (!publish.contains("=")) {
            return publish;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("protocol", "tcp");
        for (String param : publish.split(",", -1)) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new BadValue("invalid publish opts format (should be name=value but got '" + param + "')");
            }
            params.put(param.substring(0, eq), param.substring(eq + 1));
        }
        return params.getOrDefault("published", "") + ":" + params.getOrDefault("target", "") + "/"
                + params.get("protocol");
    }

    private void publish(String raw) throws BadValue {
        String[] parts = raw.split(":", -1);
        int n = parts.length;
        String ip;
        String hostPort;
        String containerPort = parts[n - 1];
        if (n == 1) {
            ip = "";
            hostPort = "";
        } else if (n == 2) {
            ip = "";
            hostPort = parts[0];
        } else if (n == 3) {
            ip = parts[0];
            hostPort = parts[1];
        } else {
            ip = String.join(":", java.util.Arrays.copyOfRange(parts, 0, n - 2));
            hostPort = parts[n - 2];
        }
        String[] pp = splitProtoPort(containerPort);
        String proto = pp[0];
        containerPort = pp[1];
        if (!ip.isEmpty() && ip.charAt(0) == '[') {
            int close = ip.indexOf(']');
            if (close < 0 || close != ip.length() - 1) {
                throw new BadValue("invalid IP address " + ip + ": address " + ip + ": missing ']' in address");
            }
            ip = ip.substring(1, close);
        }
        if (!ip.isEmpty() && IpAddress.normalize(ip) == null) {
            throw new BadValue("invalid IP address: " + ip);
        }
        if (containerPort.isEmpty()) {
            throw new BadValue("no port specified: " + raw + "<empty>");
        }
        long[] c;
        try {
            c = portRange(containerPort);
        } catch (BadValue e) {
            throw new BadValue("invalid containerPort: " + containerPort);
        }
        long[] h = {0, 0};
        if (!hostPort.isEmpty()) {
            try {
                h = portRange(hostPort);
            } catch (BadValue e) {
                throw new BadValue("invalid hostPort: " + hostPort);
            }
        }
        if (!hostPort.isEmpty() && (c[1] - c[0]) != (h[1] - h[0]) && c[1] != c[0]) {
            throw new BadValue("invalid ranges specified for container and host Ports: " + containerPort + " and "
                    + hostPort);
        }
        String lower = proto.toLowerCase(Locale.ROOT);
        if (!lower.equals("tcp") && !lower.equals("udp") && !lower.equals("sctp")) {
            throw new BadValue("invalid proto: " + proto);
        }
        for (long i = 0; i <= c[1] - c[0]; i++) {
            String hp = hostPort;
            if (!hostPort.isEmpty()) {
                hp = Long.toString(h[0] + i);
            }
            if (c[0] == c[1] && h[0] != h[1]) {
                hp = hp + "-" + h[1];
            }
            String key = (c[0] + i) + "/" + lower;
            exposed.putIfAbsent(key, new LinkedHashMap<>());
            Map<String, Object> binding = new LinkedHashMap<>();
            binding.put("HostIp", ip);
            binding.put("HostPort", hp);
            bindings.computeIfAbsent(key, k -> new ArrayList<>()).add(binding);
        }
    }

    /** nat.SplitProtoPort: {proto, port}, tcp by default. */
    static String[] splitProtoPort(String raw) {
        String[] parts = raw.split("/", -1);
        if (raw.isEmpty() || parts[0].isEmpty()) {
            return new String[] {"", ""};
        }
        if (parts.length == 1) {
            return new String[] {"tcp", raw};
        }
        if (parts[1].isEmpty()) {
            return new String[] {"tcp", parts[0]};
        }
        return new String[] {parts[1], parts[0]};
    }

    /** nat.ParsePortRange: "80" or "8000-8010". */
    static long[] portRange(String ports) throws BadValue {
        if (ports.isEmpty()) {
            throw new BadValue("empty string specified for ports");
        }
        if (!ports.contains("-")) {
            long p = GoNumbers.parseUint(ports, 10, 16);
            return new long[] {p, p};
        }
        String[] parts = ports.split("-", -1);
        long start = GoNumbers.parseUint(parts[0], 10, 16);
        long end = GoNumbers.parseUint(parts[1], 10, 16);
        if (end < start) {
            throw new BadValue("invalid range specified for port: " + ports);
        }
        return new long[] {start, end};
    }
}
