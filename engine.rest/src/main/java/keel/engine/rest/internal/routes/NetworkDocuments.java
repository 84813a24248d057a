package keel.engine.rest.internal.routes;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.network.NetworkDetails;
import keel.engine.rest.internal.json.DockerJson;

/**
 * Networks as dockerd 28 writes them (network.Inspect, which is also each row of the list). engine.api models
 * what Keel has; the keys it does not (EnableIPv4, ConfigFrom, ConfigOnly: Keel's networks are IPv4 and never
 * config-only) get the values dockerd writes for such a network, and Go's zero values stand in for nulls, as in
 * {@link ContainerDocuments}.
 */
final class NetworkDocuments {
    /** network.Inspect's fields in Go's order; Peers and Services are omitempty and swarm-only. */
    private static final String NETWORK_KEYS = "Name Id Created Scope Driver EnableIPv4 EnableIPv6 IPAM Internal "
            + "Attachable Ingress ConfigFrom ConfigOnly Containers Options Labels";

    /** Go's zero time.Time, which dockerd writes for a network without a creation time (the predefined ones). */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private NetworkDocuments() {}

    /**
     * One network. {@code withContainers} false gives the list's row since API 1.28: dockerd builds the list
     * without endpoints (they cost a lookup per container) and writes an empty Containers map.
     */
    static ObjectNode network(NetworkDetails d, boolean withContainers, DockerJson json) {
        ObjectNode n = json.tree(d);
        ContainerDocuments.strings(n, "Name Id Driver");
        if (n.path("Created").asText("").isEmpty()) {
            n.put("Created", ZERO_TIME);
        }
        // Every network Keel has is local; a record without a scope still is.
        if (n.path("Scope").asText("").isEmpty()) {
            n.put("Scope", "local");
        }
        n.put("EnableIPv4", true);
        if (!(n.get("IPAM") instanceof ObjectNode)) {
            n.putObject("IPAM");
        }
        ipam((ObjectNode) n.get("IPAM"));
        n.putObject("ConfigFrom").put("Network", "");
        n.put("ConfigOnly", false);
        if (!withContainers || !(n.get("Containers") instanceof ObjectNode)) {
            n.putObject("Containers");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("Containers").fields(); it.hasNext();) {
            JsonNode endpoint = it.next().getValue();
            if (endpoint instanceof ObjectNode) {
                ContainerDocuments.strings((ObjectNode) endpoint,
                        "Name EndpointID MacAddress IPv4Address IPv6Address");
            }
        }
        // libnetwork hands out copies of its option and label maps: {} rather than null.
        for (String key : new String[] {"Options", "Labels"}) {
            if (!(n.get(key) instanceof ObjectNode)) {
                n.putObject(key);
            }
        }
        ContainerDocuments.order(n, NETWORK_KEYS);
        return n;
    }

    /**
     * network.IPAM: Driver ("default" for the built-in allocator), Options (nil for the predefined networks, which
     * were made without options: null), Config (nil for host and none, which have no addresses: null).
     */
    private static void ipam(ObjectNode ipam) {
        if (ipam.path("Driver").asText("").isEmpty()) {
            ipam.put("Driver", "default");
        }
        ContainerDocuments.nulls(ipam, "Options Config");
        ContainerDocuments.order(ipam, "Driver Options Config");
    }
}
