package keel.engine.core.internal.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @Test
    void writesOurPidAndRemovesItOnStop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/keel.pid");
        PidFile pid = PidFile.create(file);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(file));
        pid.remove();
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesWhenAnotherLiveProcessOwnsIt(@TempDir Path dir) throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Path file = dir.resolve("keel.pid");
            Files.writeString(file, other.pid() + "\n");
            var e = assertThrows(DaemonOptions.InvalidOptionsException.class, () -> PidFile.create(file));
            assertTrue(e.getMessage().contains("is still running"), e.getMessage());
            assertEquals(other.pid() + "\n", Files.readString(file));
        } finally {
            other.destroy();
            other.waitFor();
        }
    }

    @Test
    void replacesAStaleOrGarbledFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.pid");
        Files.writeString(file, "not a pid");
        PidFile.create(file);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(file));
    }
}
