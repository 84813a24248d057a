package keel.engine.core.internal.container.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

import keel.engine.api.errors.EngineException;

/** Assertions on an {@link EngineException}'s kind and exact message (clients match Docker's text). */
final class Failures {

    private Failures() {}

    static EngineException invalid(String message, Executable call) {
        return expect(EngineException.Kind.INVALID_PARAMETER, message, call);
    }

    static EngineException system(String message, Executable call) {
        return expect(EngineException.Kind.SYSTEM, message, call);
    }

    static EngineException expect(EngineException.Kind kind, String message, Executable call) {
        EngineException e = assertThrows(EngineException.class, call);
        assertEquals(message, e.getMessage());
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }
}
