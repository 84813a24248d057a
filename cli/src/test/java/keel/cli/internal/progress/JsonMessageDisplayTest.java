package keel.cli.internal.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.cli.internal.command.CliException;
import keel.cli.internal.command.Output;

/** docker's jsonmessage rendering, byte for byte (escape sequences as docker 28.2 writes them on a tty). */
class JsonMessageDisplayTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_000_100);

    private static String render(boolean terminal, int width, String... messages) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Output out = new Output(bytes);
        String stream = String.join("\r\n", messages) + "\r\n";
        new JsonMessageDisplay(out, terminal, width, () -> NOW)
                .display(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final String L1 = "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":32768,\"total\":4500000},"
            + "\"progress\":\"[>  ]\",\"id\":\"a1b2c3d4e5f6\"}";
    private static final String L2 = "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":4500000,\"total\":4500000},"
            + "\"id\":\"a1b2c3d4e5f6\"}";
    private static final String DONE = "{\"stream\":\"Loaded image: busybox:latest\\n\"}";

    @Test
    void terminalRedrawsTheLineInPlace() throws Exception {
        String bar0 = "[>" + " ".repeat(50) + "] ";
        String bar50 = "[" + "=".repeat(50) + ">] ";
        assertEquals("\n\u001b[1A\u001b[2K\ra1b2c3d4e5f6: Loading layer " + bar0 + " 32.77kB/4.5MB\r\u001b[1B"
                + "\u001b[1A\u001b[2K\ra1b2c3d4e5f6: Loading layer " + bar50 + "   4.5MB/4.5MB\r\u001b[1B"
                + "Loaded image: busybox:latest\n", render(true, 120, L1, L2, DONE));
    }

    @Test
    void narrowTerminalDropsTheBarButKeepsCounts() throws Exception {
        assertEquals("\n\u001b[1A\u001b[2K\ra1b2c3d4e5f6: Loading layer  32.77kB/4.5MB\r\u001b[1B",
                render(true, 80, L1));
    }

    @Test
    void twoLayersOwnTwoLines() throws Exception {
        String a = "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":1000,\"total\":2000},\"id\":\"aaa\"}";
        String b = "{\"status\":\"Loading layer\",\"progressDetail\":{\"current\":500,\"total\":2000},\"id\":\"bbb\"}";
        String out = render(true, 80, a, b, a);
        assertEquals("\n\u001b[1A\u001b[2K\raaa: Loading layer      1kB/2kB\r\u001b[1B"
                + "\n\u001b[1A\u001b[2K\rbbb: Loading layer     500B/2kB\r\u001b[1B"
                + "\u001b[2A\u001b[2K\raaa: Loading layer      1kB/2kB\r\u001b[2B", out);
    }

    @Test
    void plainOutputSkipsProgressAndPrintsStatusLines() throws Exception {
        assertEquals("Loaded image: busybox:latest\n", render(false, 0, L1, L2, DONE));
        assertEquals("Importing\nsha256:abc\n", render(false, 0, "{\"status\":\"Importing\"}", "{\"status\":\"sha256:abc\"}"));
    }

    @Test
    void timeLeftWhenStartIsKnown() throws Exception {
        // 100 s for 1 MB of 3 MB: 200 s left.
        String m = "{\"status\":\"Importing\",\"progressDetail\":{\"current\":1000000,\"total\":3000000,\"start\":1000000},"
                + "\"id\":\"x\"}";
        assertEquals("\n\u001b[1A\u001b[2K\rx: Importing [================>                                  ]  "
                + "    1MB/3MB 3m20s\r\u001b[1B", render(true, 120, m));
    }

    @Test
    void errorMessageEndsTheStream() throws Exception {
        CliException e = assertThrows(CliException.class,
                () -> render(false, 0, "{\"status\":\"Importing\"}", "{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}"));
        assertEquals("boom", e.getMessage());
        assertEquals(1, e.exitCode());
        assertEquals("bad", assertThrows(CliException.class, () -> render(false, 0, "{\"error\":\"bad\"}")).getMessage());
    }

    @Test
    void progressStringWithUnitsAndHiddenCounts() {
        JsonMessageDisplay d = new JsonMessageDisplay(new Output(new ByteArrayOutputStream()), true, 80, () -> NOW);
        assertEquals("3/10 files", d.progressString(Map.of("current", 3L, "total", 10L, "units", "files")));
        assertEquals("", d.progressString(Map.of("current", 3L, "total", 10L, "hidecounts", true)));
        assertEquals(" 1.235MB", d.progressString(Map.of("current", 1234567L)));
        assertEquals("", d.progressString(Map.of()));
    }
}
