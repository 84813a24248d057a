package keel.engine.core.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.engine.api.errors.EngineException;

class StorageManagerTest {

    @Test
    void storageOptionsDropTheDriverPrefixAsDockerdDoes() {
        assertEquals(Map.of("size", "10G", "mountopt", "nodev"),
                StorageManager.parseOptions(new String[] {"overlay2.size=10G", "mountopt=nodev"}));
    }

    @Test
    void malformedStorageOptionIsInvalid() {
        var e = assertThrows(EngineException.class, () -> StorageManager.parseOptions(new String[] {"size"}));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
    }

    @Test
    void driverNamesComeFromAStringOrSeveral() {
        assertEquals(List.of("vfs"), StorageManager.names(Map.of("driver.name", "vfs")));
        assertEquals(List.of("overlay2", "overlay"),
                StorageManager.names(Map.of("driver.name", new String[] {"overlay2", "overlay"})));
        assertEquals(List.of(), StorageManager.names(Map.of()));
    }
}
