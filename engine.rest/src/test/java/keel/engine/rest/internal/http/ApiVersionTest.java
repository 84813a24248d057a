package keel.engine.rest.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import keel.engine.api.errors.EngineException;

class ApiVersionTest {

    @Test
    void absentVersionMeansTheNewest() {
        assertEquals(ApiVersion.MAXIMUM, ApiVersion.negotiate(null));
    }

    @Test
    void versionsCompareNumericallyNotAsText() {
        assertTrue(ApiVersion.parse("1.9").before(ApiVersion.parse("1.10")));
        assertEquals(new ApiVersion(1, 41), ApiVersion.negotiate("1.41"));
        assertEquals(new ApiVersion(1, 24), ApiVersion.negotiate("1.24"));
        assertEquals(new ApiVersion(1, 50), ApiVersion.negotiate("1.50"));
    }

    @Test
    void outOfRangeVersionsAreInvalidParameters() {
        EngineException tooNew = assertThrows(EngineException.class, () -> ApiVersion.negotiate("1.51"));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, tooNew.kind());
        assertEquals("client version 1.51 is too new. Maximum supported API version is 1.50", tooNew.getMessage());
        EngineException tooOld = assertThrows(EngineException.class, () -> ApiVersion.negotiate("1.23"));
        assertEquals("client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade "
                + "your client to a newer version", tooOld.getMessage());
        assertThrows(EngineException.class, () -> ApiVersion.negotiate("2.0"));
    }

    @Test
    void malformedVersionsAreRefused() {
        for (String v : new String[] {"", "1", "1.", "1.2.3", "a.b", "1.x", "99999.1"}) {
            EngineException e = assertThrows(EngineException.class, () -> ApiVersion.parse(v), v);
            assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        }
    }
}
