package keel.engine.rest.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkCreateResult;
import keel.engine.api.network.NetworkDetails;

/** The network records' keys against swagger's Network, IPAMConfig, EndpointResource and NetworkCreateRequest. */
class NetworkJsonTest {
    private final DockerJson json = new DockerJson();

    @Test
    void networkKeysUseGoInitialisms() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("z", "1");
        labels.put("a", "2");
        NetworkDetails d = new NetworkDetails("n", "id1", "2026-01-01T00:00:00Z", "local", "bridge", false,
                new Ipam("default", List.of(new Ipam.Config("10.0.0.0/24", "10.0.0.128/25", "10.0.0.1",
                        Map.of("h", "10.0.0.5"))), Map.of()), true, false, false,
                Map.of("c1", new NetworkDetails.NetworkContainer("web", "ep1", "02:42:0a:00:00:02", "10.0.0.2/24", "")),
                Map.of(), labels);
        JsonNode n = json.tree(d);
        assertEquals(List.of("Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal", "Attachable",
                "Ingress", "Containers", "Options", "Labels"), names(n));
        assertEquals("{\"Subnet\":\"10.0.0.0/24\",\"IPRange\":\"10.0.0.128/25\",\"Gateway\":\"10.0.0.1\","
                + "\"AuxiliaryAddresses\":{\"h\":\"10.0.0.5\"}}", n.at("/IPAM/Config/0").toString());
        assertEquals(List.of("Name", "EndpointID", "MacAddress", "IPv4Address", "IPv6Address"),
                names(n.at("/Containers/c1")));
        assertEquals("{\"a\":\"2\",\"z\":\"1\"}", n.get("Labels").toString(), "map keys sorted, as Go writes them");
        assertEquals("{\"Subnet\":\"10.1.0.0/16\"}",
                json.tree(new Ipam.Config("10.1.0.0/16", "", null, Map.of())).toString(), "omitempty");
        assertEquals("{\"Id\":\"x\",\"Warning\":\"w\"}", json.tree(new NetworkCreateResult("x", "w")).toString());
    }

    @Test
    void createRequestReadsDockersKeys() throws Exception {
        NetworkCreateRequest r = json.read(json.read("{\"Name\":\"n\",\"Driver\":\"bridge\",\"Internal\":true,"
                + "\"Attachable\":true,\"CheckDuplicate\":true,\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\","
                + "\"Options\":{\"o\":\"1\"},\"Config\":[{\"Subnet\":\"10.0.0.0/24\",\"IPRange\":\"10.0.0.0/25\","
                + "\"Gateway\":\"10.0.0.1\",\"AuxiliaryAddresses\":{\"a\":\"10.0.0.9\"}}]},\"Options\":{\"k\":\"v\"},"
                + "\"Labels\":{\"l\":\"\"}}"), NetworkCreateRequest.class);
        assertEquals(new NetworkCreateRequest("n", "bridge", true, true, true, new Ipam("default",
                List.of(new Ipam.Config("10.0.0.0/24", "10.0.0.0/25", "10.0.0.1", Map.of("a", "10.0.0.9"))),
                Map.of("o", "1")), false, Map.of("k", "v"), Map.of("l", "")), r);
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
