package keel.engine.rest.internal.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PluginDocumentTest {

    @Test
    void eachDriverKindIsOneInterfaceType() {
        assertEquals(Set.of("keel.storagedriver/1.0", "keel.networkdriver/1.0"),
                PluginDocument.interfaceTypes(List.of("storage:vfs", "storage:vfs2", "network:bridge")));
        assertEquals(Set.of(), PluginDocument.interfaceTypes(null));
    }

    @Test
    void idsAreStable64Hex() {
        String id = PluginDocument.id("vfs");
        assertEquals(64, id.length());
        assertEquals(id, PluginDocument.id("vfs"));
        assertEquals(true, id.matches("[0-9a-f]{64}"));
    }

    @Test
    void theLatestTagIsDropped() {
        assertEquals("vfs", PluginRoutes.local("vfs:latest"));
        assertEquals("vfs:2", PluginRoutes.local("vfs:2"));
        assertEquals("vfs", PluginRoutes.local("vfs"));
    }
}
