package keel.network.bridge.internal.firewall;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The comment tags on Keel's rules, which say who owns a rule so that it can be found after a restart:
 * {@code OWNER-net:NET} for a network's rules and {@code OWNER-port:NET:ENDPOINT:PROTO/CPORT:HOSTIP:HOSTPORT} for
 * a published port's (the host port as bound, so an ephemeral port chosen by the kernel is chosen again after a
 * restart). NET and ENDPOINT are the first 12 characters of the IDs, as Docker shortens them. OWNER is
 * {@code keel} for the daemon; another owner (tests, a second daemon on the host) never sees or removes the
 * daemon's rules.
 */
public final class RuleTags {

    private final String networkPrefix;
    private final String portPrefix;

    public RuleTags(String owner) {
        this.networkPrefix = owner + "-net:";
        this.portPrefix = owner + "-port:";
    }

    public String network(String networkId) {
        return networkPrefix + shortId(networkId);
    }

    public String port(String networkId, String endpointId, String protocol, int containerPort,
            String hostIp, int hostPort) {
        return portPrefix + shortId(networkId) + ":" + shortId(endpointId) + ":" + protocol + "/" + containerPort + ":"
                + (hostIp.isEmpty() ? "*" : hostIp) + ":" + hostPort;
    }

    /** A published port's tag, read back. */
    public record PortTag(String network, String endpoint, String protocol, int containerPort, String hostIp,
            int hostPort) {}

    public Optional<PortTag> parsePort(String tag) {
        if (tag == null || !tag.startsWith(portPrefix)) {
            return Optional.empty();
        }
        String[] p = tag.substring(portPrefix.length()).split(":");
        if (p.length != 5) {
            return Optional.empty();
        }
        String[] proto = p[2].split("/");
        try {
            return Optional.of(new PortTag(p[0], p[1], proto[0], Integer.parseInt(proto[1]),
                    p[3].equals("*") ? "" : p[3], Integer.parseInt(p[4])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Every tag of this owner. */
    public boolean isOurs(String tag) {
        return tag != null && (tag.startsWith(networkPrefix) || tag.startsWith(portPrefix));
    }

    /** The network's own rules and those of ports published on it. */
    public Predicate<String> ofNetwork(String networkId) {
        String id = shortId(networkId);
        return t -> t != null && (t.equals(networkPrefix + id) || t.startsWith(portPrefix + id + ":"));
    }

    /** The network's own rules only. */
    public Predicate<String> networkOnly(String networkId) {
        String tag = network(networkId);
        return tag::equals;
    }

    /** The rules of an endpoint's published ports. */
    public Predicate<String> ofEndpoint(String endpointId) {
        String id = shortId(endpointId);
        return t -> parsePort(t).map(p -> p.endpoint().equals(id)).orElse(false);
    }

    /** The first 12 characters of an ID, anything but letters, digits, '.', '_' and '-' made '_'. */
    public static String shortId(String id) {
        String s = id.length() > 12 ? id.substring(0, 12) : id;
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        return b.toString();
    }
}
