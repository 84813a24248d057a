package keel.storage.vfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import keel.engine.api.errors.EngineException;
import keel.engine.archive.internal.TarLayerArchiver;
import keel.storage.tck.TarBuilder;

/** vfs specifics: the on-disk layout, recovery at open, ids it refuses. */
class VfsLayerStoreTest {

    @TempDir
    Path temp;

    private final TarLayerArchiver archiver = new TarLayerArchiver();

    @AfterEach
    void removeHome() throws IOException {
        archiver.removeTree(temp.resolve("home"));
    }

    @Test
    void layoutIsDockersAndParentsAreRecorded() throws IOException {
        Path home = temp.resolve("home");
        try (VfsLayerStore store = VfsLayerStore.open(home, archiver)) {
            TarBuilder t = new TarBuilder();
            t.file("a", 0644, "a\n");
            store.applyDiff("base", null, new ByteArrayInputStream(t.toBytes()));
            store.createReadWrite("rw", "base");
            assertEquals("a\n", Files.readString(home.resolve("dir/rw/a")));
            assertEquals("base", Files.readString(home.resolve("meta/rw.parent")));
            assertFalse(Files.exists(home.resolve("meta/base.parent")));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)),
                    "other users cannot reach the setuid binaries in layer trees");
            assertEquals(List.<String>of("Backing Filesystem"), store.status().stream().map(r -> r[0]).toList());
        }
    }

    @Test
    void openClearsWhatACrashLeft() throws IOException {
        Path home = temp.resolve("home");
        try (VfsLayerStore store = VfsLayerStore.open(home, archiver)) {
            store.createReadWrite("kept", null);
        }
        Files.createDirectories(home.resolve("staging/half-built.1234/usr/bin"));
        Files.writeString(home.resolve("meta/never-renamed.parent"), "kept");
        Files.writeString(home.resolve("meta/.kept.parent.1234.tmp"), "x");
        try (VfsLayerStore store = VfsLayerStore.open(home, archiver)) {
            assertEquals(Set.of("kept"), store.ids());
            try (Stream<Path> s = Files.list(home.resolve("staging"))) {
                assertEquals(List.of(), s.toList());
            }
            try (Stream<Path> s = Files.list(home.resolve("meta"))) {
                assertEquals(List.of(), s.toList());
            }
        }
    }

    @Test
    void pathLikeIdsAreRefused() throws IOException {
        try (VfsLayerStore store = VfsLayerStore.open(temp.resolve("home"), archiver)) {
            for (String id : new String[] {"../escape", "a/b", ".hidden", "", "x".repeat(200)}) {
                EngineException e = assertThrows(EngineException.class, () -> store.createReadWrite(id, null));
                assertEquals(EngineException.Kind.INVALID_PARAMETER, e.kind());
                assertFalse(store.exists(id));
            }
            assertThrows(EngineException.class, () -> store.mount("missing"));
            assertTrue(store.ids().isEmpty());
        }
    }
}
