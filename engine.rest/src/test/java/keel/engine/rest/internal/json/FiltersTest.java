package keel.engine.rest.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.errors.EngineException;

class FiltersTest {

    @Test
    void emptyMeansNoFilter() {
        assertEquals(Map.of(), Filters.parse(null));
        assertEquals(Map.of(), Filters.parse(""));
        assertEquals(Map.of(), Filters.parse("{}"));
        assertEquals(Map.of(), Filters.parse("null"));
    }

    @Test
    void listForm() {
        assertEquals(Map.of("label", List.of("a=b", "c"), "dangling", List.of("true")),
                Filters.parse("{\"label\":[\"a=b\",\"c\"],\"dangling\":[\"true\"]}"));
    }

    @Test
    void setFormAsTheCliSendsIt() {
        assertEquals(Map.of("reference", List.of("busybox:*", "alpine")),
                Filters.parse("{\"reference\":{\"busybox:*\":true,\"alpine\":true}}"));
        // dockerd keeps a value whatever its boolean.
        assertEquals(Map.of("dangling", List.of("true")), Filters.parse("{\"dangling\":{\"true\":false}}"));
    }

    @Test
    void anythingElseIsInvalid() {
        for (String bad : List.of("{", "[]", "\"x\"", "{\"a\":\"b\"}", "{\"a\":[1]}", "{\"a\":{\"b\":1}}")) {
            EngineException e = assertThrows(EngineException.class, () -> Filters.parse(bad), bad);
            assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        }
    }
}
