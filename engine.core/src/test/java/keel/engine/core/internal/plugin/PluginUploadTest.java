package keel.engine.core.internal.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.errors.EngineException;

class PluginUploadTest {

    static byte[] jar(String bsn) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(out, m)) {
            // manifest only
        }
        return out.toByteArray();
    }

    static byte[] tar(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            t.putArchiveEntry(e);
            t.write(content);
            t.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    @Test
    void acceptsABundleJar(@TempDir Path dir) throws Exception {
        String bsn = PluginUpload.receive(new ByteArrayInputStream(jar("acme.storage.zfs;singleton:=true")),
                dir.resolve("p.jar"));
        assertEquals("acme.storage.zfs", bsn);
    }

    @Test
    void acceptsATarHoldingOneBundle(@TempDir Path dir) throws Exception {
        String bsn = PluginUpload.receive(new ByteArrayInputStream(tar("plugin/acme.jar", jar("acme.driver"))),
                dir.resolve("p.jar"));
        assertEquals("acme.driver", bsn);
    }

    @Test
    void refusesAJarThatIsNotABundle(@TempDir Path dir) {
        var e = assertThrows(EngineException.class,
                () -> PluginUpload.receive(new ByteArrayInputStream(jar(null)), dir.resolve("p.jar")));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        assertTrue(e.getMessage().contains("Bundle-SymbolicName"), e.getMessage());
    }

    @Test
    void refusesSomethingElse(@TempDir Path dir) {
        var e = assertThrows(EngineException.class, () -> PluginUpload.receive(
                new ByteArrayInputStream("hello world, not a bundle".getBytes()), dir.resolve("p.jar")));
        assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
        e = assertThrows(EngineException.class, () -> PluginUpload.receive(
                new ByteArrayInputStream(tar("README", "no jar here".getBytes())), dir.resolve("p.jar")));
        assertTrue(e.getMessage().contains("no .jar"), e.getMessage());
    }
}
