package keel.engine.rest.internal.json;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.ContainerState;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.EndpointSettings;
import keel.engine.api.container.ExecDetails;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.MountPoint;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.network.Ipam;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkCreateResult;
import keel.engine.api.network.NetworkDetails;
import keel.engine.api.system.SystemInfo;

/**
 * Docker's JSON from engine.api's records. The records name their components after Docker's keys in lower camel
 * case, so UPPER_CAMEL_CASE gets most keys right ({@code repoTags} → {@code RepoTags}, {@code id} → {@code Id},
 * {@code rootFS} → {@code RootFS}); the mixins below fix the rest and reproduce Go's {@code omitempty} where the
 * docker CLI or scripts notice the difference. engine.api stays free of Jackson.
 *
 * <p>Reading request bodies into records follows Go's encoding/json, which dockerd decodes with: keys match
 * case-insensitively ({@code "memory"} sets Memory), unknown keys are ignored (newer clients send fields older
 * daemons do not know), a string where a list is expected is a one-element list (Docker's StrSlice for Cmd,
 * Entrypoint, Shell), and a value of the wrong type ({@code "Memory": "1g"}, {@code "Tty": "yes"}) is a 400
 * instead of being converted.
 */
public final class DockerJson {
    private final ObjectMapper mapper;

    public DockerJson() {
        mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .addMixIn(SystemInfo.class, SystemInfoKeys.class)
                .addMixIn(ImageDetails.class, ImageDetailsKeys.class)
                // dockerd serves an image's Config as the OCI image config, whose fields are all omitempty.
                .addMixIn(ContainerConfig.class, OmitNulls.class)
                .addMixIn(ContainerConfig.HealthConfig.class, OmitNulls.class)
                // ImageDeleteResponseItem: exactly one of Untagged / Deleted per line.
                .addMixIn(DeleteItem.class, OmitNulls.class)
                // RootFS: Type and Layers are omitempty in Go.
                .addMixIn(ImageDetails.RootFS.class, OmitNulls.class)
                // Containers: the keys Go spells with initialisms, and what its omitempty leaves out.
                .addMixIn(ContainerState.class, ContainerStateKeys.class)
                .addMixIn(EndpointSettings.class, EndpointSettingsKeys.class)
                .addMixIn(EndpointSettings.IpamConfig.class, IpamConfigKeys.class)
                .addMixIn(HostConfig.class, HostConfigKeys.class)
                .addMixIn(MountPoint.class, MountPointKeys.class)
                .addMixIn(ContainerSummary.class, ContainerSummaryKeys.class)
                .addMixIn(ContainerSummary.Port.class, PortKeys.class)
                .addMixIn(ContainerDetails.class, ContainerDetailsKeys.class)
                .addMixIn(ExecDetails.class, ExecDetailsKeys.class)
                .addMixIn(ExecDetails.ProcessConfig.class, ProcessConfigKeys.class)
                // Networks: IPAM, IPRange, IPv4Address are initialisms UPPER_CAMEL_CASE would spell Ipam, IpRange...
                .addMixIn(NetworkDetails.class, NetworkDetailsKeys.class)
                .addMixIn(NetworkDetails.NetworkContainer.class, NetworkContainerKeys.class)
                .addMixIn(Ipam.Config.class, IpamPoolKeys.class)
                .addMixIn(NetworkCreateRequest.class, NetworkCreateRequestKeys.class)
                .addMixIn(NetworkCreateResult.class, NetworkCreateResultKeys.class)
                // Go's encoding/json writes every map with its keys sorted (labels, options, PortMap, Networks).
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                // dockerd: "unexpected content after JSON".
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String,
                        CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String,
                        CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String,
                        CoercionAction.Fail).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer,
                        CoercionAction.Fail).setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    /** {@code value} as JSON followed by a newline, as Go's json.Encoder writes a response. */
    public byte[] write(Object value) {
        try {
            byte[] body = mapper.writeValueAsBytes(value);
            byte[] line = new byte[body.length + 1];
            System.arraycopy(body, 0, line, 0, body.length);
            line[body.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /** {@code value} as JSON without a newline (one message of a stream). */
    public byte[] compact(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /** A record as a tree, to add Docker's fields that engine.api does not model. */
    public ObjectNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    public ArrayNode array() {
        return mapper.createArrayNode();
    }

    /** Parses a JSON document a client sent (query parameter or body); malformed JSON maps to a 400. */
    public JsonNode read(String text) throws JsonProcessingException {
        return mapper.readTree(text);
    }

    /**
     * A record from a client's JSON (a create body, an exec config); a malformed or mistyped value throws a
     * JacksonException, which the front door answers with a 400.
     */
    public <T> T read(JsonNode node, Class<T> type) throws JsonProcessingException {
        return mapper.treeToValue(node, type);
    }

    public JsonNode read(byte[] text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract static class OmitNulls {}

    /** SystemInfo: dockerd writes these four keys in capitals (Go field names ID, NCPU, OSType, OSVersion). */
    abstract static class SystemInfoKeys {
        @JsonProperty("ID")
        abstract String id();

        @JsonProperty("NCPU")
        abstract int ncpu();

        @JsonProperty("OSType")
        abstract String osType();

        @JsonProperty("OSVersion")
        abstract String osVersion();
    }

    /** ImageInspect: Created, Variant and OsVersion are omitempty; the other strings are always present. */
    abstract static class ImageDetailsKeys {
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String created();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String variant();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String osVersion();
    }

    /** Go's field is OOMKilled. */
    abstract static class ContainerStateKeys {
        @JsonProperty("OOMKilled")
        abstract boolean oomKilled();
    }

    /** network.EndpointSettings: Go's initialisms; {@code GwPriority} is added by the documents. */
    abstract static class EndpointSettingsKeys {
        @JsonProperty("IPAMConfig")
        abstract EndpointSettings.IpamConfig ipamConfig();

        @JsonProperty("IPAddress")
        abstract String ipAddress();

        @JsonProperty("IPPrefixLen")
        abstract Integer ipPrefixLen();

        @JsonProperty("IPv6Gateway")
        abstract String ipv6Gateway();

        @JsonProperty("DNSNames")
        abstract java.util.List<String> dnsNames();
    }

    /** EndpointIPAMConfig: both addresses are omitempty. */
    abstract static class IpamConfigKeys {
        @JsonProperty("IPv4Address")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String ipv4Address();

        @JsonProperty("IPv6Address")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String ipv6Address();
    }

    abstract static class HostConfigKeys {
        @JsonProperty("UTSMode")
        abstract String utsMode();
    }

    /** MountPoint: {@code RW}; Type, Name and Driver are omitempty. */
    abstract static class MountPointKeys {
        @JsonProperty("RW")
        abstract boolean rw();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String type();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String name();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String driver();
    }

    /** Summary: the network mode and networks nest under HostConfig and NetworkSettings (the documents do it). */
    abstract static class ContainerSummaryKeys {
        @JsonIgnore
        abstract String networkMode();

        @JsonIgnore
        abstract java.util.Map<String, EndpointSettings> networks();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Long sizeRw();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Long sizeRootFs();
    }

    /** Port: {@code IP} and {@code PublicPort} are omitempty (an unpublished port has neither). */
    abstract static class PortKeys {
        @JsonProperty("IP")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String ip();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Integer publicPort();
    }

    /** SizeRw and SizeRootFs are pointers with omitempty: only there when size=1 asked for them. */
    abstract static class ContainerDetailsKeys {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Long sizeRw();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Long sizeRootFs();
    }

    abstract static class ExecDetailsKeys {
        @JsonProperty("ID")
        abstract String id();
    }

    /** ExecProcessConfig is the one object dockerd writes in lower case; privileged and user are omitempty. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    abstract static class ProcessConfigKeys {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        abstract Boolean privileged();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String user();
    }

    /** network.Inspect: {@code Id}, {@code EnableIPv6}, {@code IPAM}. */
    abstract static class NetworkDetailsKeys {
        @JsonProperty("Id")
        abstract String id();

        @JsonProperty("EnableIPv6")
        abstract boolean enableIPv6();

        @JsonProperty("IPAM")
        abstract Ipam ipam();
    }

    /** network.EndpointResource: {@code EndpointID}, {@code IPv4Address}, {@code IPv6Address}. */
    abstract static class NetworkContainerKeys {
        @JsonProperty("EndpointID")
        abstract String endpointID();

        @JsonProperty("IPv4Address")
        abstract String ipv4Address();

        @JsonProperty("IPv6Address")
        abstract String ipv6Address();
    }

    /**
     * network.IPAMConfig: {@code IPRange}, and Go's field AuxAddress is written {@code AuxiliaryAddresses}; all four
     * are omitempty (a pool without a range or gateway shows only its Subnet).
     */
    abstract static class IpamPoolKeys {
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String subnet();

        @JsonProperty("IPRange")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String ipRange();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract String gateway();

        @JsonProperty("AuxiliaryAddresses")
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract java.util.Map<String, String> auxiliaryAddresses();
    }

    /** network.CreateRequest as clients send it. */
    abstract static class NetworkCreateRequestKeys {
        @JsonProperty("IPAM")
        abstract Ipam ipam();

        @JsonProperty("EnableIPv6")
        abstract Boolean enableIPv6();
    }

    /** network.CreateResponse: {@code Id} and {@code Warning}. */
    abstract static class NetworkCreateResultKeys {
        @JsonProperty("Id")
        abstract String id();
    }
}
