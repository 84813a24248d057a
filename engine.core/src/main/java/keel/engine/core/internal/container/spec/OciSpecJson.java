package keel.engine.core.internal.container.spec;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import keel.engine.api.oci.Spec;

/**
 * config.json as the runtime reads it: the records' components are the runtime-spec keys, absent (null) fields
 * are left out as Go's omitempty leaves them out, objects keep the records' field order and maps are sorted by
 * key (Go's encoding/json sorts map keys), so the same spec always gives the same bytes.
 */
public final class OciSpecJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private OciSpecJson() {}

    /** Compact, as written to a bundle. */
    public static byte[] write(Spec spec) {
        try {
            return MAPPER.writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec always serializes", e);
        }
    }

    /** Indented, for people and golden files. */
    public static String pretty(Object specOrPart) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(specOrPart);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec always serializes", e);
        }
    }

    public static Spec read(byte[] json) throws IOException {
        return MAPPER.readValue(json, Spec.class);
    }
}
