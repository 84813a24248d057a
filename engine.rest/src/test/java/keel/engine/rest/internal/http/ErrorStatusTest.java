package keel.engine.rest.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.json.DockerJson;

class ErrorStatusTest {

    @Test
    void everyKindHasDockersStatus() {
        assertEquals(400, ErrorStatus.of(EngineException.Kind.INVALID_PARAMETER));
        assertEquals(403, ErrorStatus.of(EngineException.Kind.FORBIDDEN));
        assertEquals(404, ErrorStatus.of(EngineException.Kind.NOT_FOUND));
        assertEquals(409, ErrorStatus.of(EngineException.Kind.CONFLICT));
        assertEquals(304, ErrorStatus.of(EngineException.Kind.NOT_MODIFIED));
        assertEquals(501, ErrorStatus.of(EngineException.Kind.NOT_IMPLEMENTED));
        assertEquals(503, ErrorStatus.of(EngineException.Kind.UNAVAILABLE));
        assertEquals(500, ErrorStatus.of(EngineException.Kind.SYSTEM));
        assertEquals(500, ErrorStatus.of(new IllegalStateException("x")));
    }

    @Test
    void malformedJsonIsTheClientsFault() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> new DockerJson().read("{\"Image\": "));
        assertEquals(400, ErrorStatus.of(e));
        assertTrue(ErrorStatus.message(e).startsWith("invalid JSON: "), ErrorStatus.message(e));
    }

    @Test
    void aMessagelessExceptionIsNamed() {
        assertEquals("NullPointerException", ErrorStatus.message(new NullPointerException()));
    }
}
