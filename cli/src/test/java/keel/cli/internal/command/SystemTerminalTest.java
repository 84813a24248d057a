package keel.cli.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Raw mode and the window size through stty: the exact calls, and the restore happening once. */
class SystemTerminalTest {

    /** Records every stty call; answers -g and size. */
    static final class RecordingStty implements Stty {
        final List<String> calls = new ArrayList<>();
        String size = "24 80";
        boolean failRaw;

        @Override
        public String run(String... args) throws IOException {
            String call = String.join(" ", args);
            calls.add(call);
            switch (call) {
                case "-g":
                    return "500:5:bf:8a3b:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0:0:0";
                case "size":
                    return size;
                case "raw -echo":
                    if (failRaw) {
                        throw new IOException("stty raw -echo failed (exit 1)");
                    }
                    return "";
                default:
                    return "";
            }
        }
    }

    @Test
    void rawModeSavesSwitchesAndRestoresOnce() throws IOException {
        RecordingStty stty = new RecordingStty();
        RawMode mode = SystemTerminal.makeRaw(stty, false);
        assertEquals(List.of("-g", "raw -echo"), stty.calls);
        mode.restore();
        mode.restore();
        assertEquals(List.of("-g", "raw -echo", "500:5:bf:8a3b:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0:0:0"),
                stty.calls);
    }

    @Test
    void aFailedSwitchPutsTheSettingsBack() {
        RecordingStty stty = new RecordingStty();
        stty.failRaw = true;
        assertThrows(IOException.class, () -> SystemTerminal.makeRaw(stty, false));
        assertEquals(3, stty.calls.size());
        assertEquals("-g", stty.calls.get(0));
        assertEquals("raw -echo", stty.calls.get(1));
    }

    @Test
    void sizeIsRowsThenColumns() {
        RecordingStty stty = new RecordingStty();
        stty.size = "50 132";
        assertEquals(new TerminalSize(50, 132), new SystemTerminal(Map.of(), stty).size());
        stty.size = "0 0";
        assertNull(new SystemTerminal(Map.of(), stty).size(), "an unsized pty is unknown");
        assertEquals(99, new SystemTerminal(Map.of("COLUMNS", "99"), stty).width());
    }
}
