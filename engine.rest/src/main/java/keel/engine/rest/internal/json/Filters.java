package keel.engine.rest.internal.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.errors.EngineException;

/**
 * The {@code filters} query parameter. Clients send it in two forms: {@code {"dangling":{"true":true}}} (the
 * docker CLI, a set per key) and {@code {"dangling":["true"]}} (older clients and hand-written requests); both
 * become key → values. Like dockerd, the values of the set form are its keys, whatever their boolean.
 */
public final class Filters {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Filters() {}

    public static Map<String, List<String>> parse(String json) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return filters;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(json);
        }
        if (root == null || root.isNull()) {
            return filters;
        }
        if (!root.isObject()) {
            throw invalid(json);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw invalid(json);
                    }
                    values.add(item.asText());
                }
            } else if (v.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> vs = v.fields(); vs.hasNext();) {
                    Map.Entry<String, JsonNode> item = vs.next();
                    if (!item.getValue().isBoolean()) {
                        throw invalid(json);
                    }
                    values.add(item.getKey());
                }
            } else if (!v.isNull()) {
                throw invalid(json);
            }
            filters.put(e.getKey(), List.copyOf(values));
        }
        return filters;
    }

    private static EngineException invalid(String json) {
        return EngineException.invalid("invalid filter: " + json
                + " (expected a JSON object such as {\"dangling\":[\"true\"]} or {\"dangling\":{\"true\":true}})");
    }
}
