package keel.engine.rest.internal.json;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.image.DeleteItem;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.system.SystemInfo;

/**
 * Docker's JSON from engine.api's records. The records name their components after Docker's keys in lower camel
 * case, so UPPER_CAMEL_CASE gets most keys right ({@code repoTags} → {@code RepoTags}, {@code id} → {@code Id},
 * {@code rootFS} → {@code RootFS}); the mixins below fix the rest and reproduce Go's {@code omitempty} where the
 * docker CLI or scripts notice the difference. engine.api stays free of Jackson.
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
}
