package keel.engine.core.internal.container;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON as Docker writes a container's files ({@code config.v2.json}, {@code hostconfig.json}): the API records'
 * lower-camel component names with the first letter raised ({@code exposedPorts} is {@code ExposedPorts}), except
 * where Docker spells an initialism in capitals ({@code OOMKilled}, {@code IPAddress}, {@code UTSMode}).
 */
final class DockerJson {

    private static final Map<String, String> SPELLINGS = Map.ofEntries(
            Map.entry("id", "ID"),
            Map.entry("oomKilled", "OOMKilled"),
            Map.entry("ipamConfig", "IPAMConfig"),
            Map.entry("ipAddress", "IPAddress"),
            Map.entry("ipPrefixLen", "IPPrefixLen"),
            Map.entry("ipv6Gateway", "IPv6Gateway"),
            Map.entry("globalIPv6Address", "GlobalIPv6Address"),
            Map.entry("globalIPv6PrefixLen", "GlobalIPv6PrefixLen"),
            Map.entry("ipv4Address", "IPv4Address"),
            Map.entry("ipv6Address", "IPv6Address"),
            Map.entry("networkID", "NetworkID"),
            Map.entry("endpointID", "EndpointID"),
            Map.entry("sandboxID", "SandboxID"),
            Map.entry("dnsNames", "DNSNames"),
            Map.entry("utsMode", "UTSMode"),
            Map.entry("containerIDFile", "ContainerIDFile"),
            Map.entry("imageID", "ImageID"));

    /** Docker-shaped names, nulls left out, unknown fields ignored (a newer Keel may add some). */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(new PropertyNamingStrategies.NamingBase() {
                private static final long serialVersionUID = 1L;

                @Override
                public String translate(String name) {
                    String s = SPELLINGS.get(name);
                    if (s != null) {
                        return s;
                    }
                    return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
                }
            })
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private DockerJson() {}
}
