package keel.engine.core.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

import keel.engine.api.errors.EngineException;

/** Assertions on the kind and text of an {@link EngineException}. */
final class EngineExceptionAssert {

    private EngineExceptionAssert() {}

    static EngineException invalidContaining(String text, Executable call) {
        EngineException e = assertThrows(EngineException.class, call);
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        return e;
    }
}
