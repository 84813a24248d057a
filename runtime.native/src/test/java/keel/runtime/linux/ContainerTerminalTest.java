package keel.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import keel.engine.api.runtime.ExitStatus;

/** A container with a terminal: a pty of its own devpts as controlling terminal, output to the spool file. */
class ContainerTerminalTest extends RuntimeFixture {

    @Test
    void inputAndOutputGoThroughThePtyAndResizeIsVisible() throws Exception {
        Started s = start(spec("sh"), true, true, 24, 80);
        OutputStream in = s.container().stdin();
        type(in, "tty; stty size; echo ctty=$(ps -o tty= -p $$ 2>/dev/null || cat /proc/self/stat | "
                + "cut -d' ' -f7); ls -l /dev/console | cut -c1\n");
        ContainerProcessTest.waitForOutput(s, "24 80");
        s.container().resize(50, 132);
        type(in, "stty size\n");
        ContainerProcessTest.waitForOutput(s, "50 132");
        type(in, "exit 5\n");
        assertEquals(ExitStatus.code(5), s.awaitExit());
        String out = s.out();
        assertTrue(out.contains("/dev/pts/0"), out);
        assertTrue(out.contains("\r\n"), "a terminal turns \\n into \\r\\n: " + out);
    }

    @Test
    void theTerminalIsTheControllingTerminalOfASessionLeader() throws Exception {
        // Fields 6 and 7 of /proc/self/stat: session and tty_nr; 34816 is (136 << 8) | 0, /dev/pts/0.
        Started s = start(spec("sh", "-c", "cut -d' ' -f6,7 /proc/1/stat; echo $$"), true, false, 0, 0);
        assertEquals(ExitStatus.code(0), s.awaitExit());
        assertTrue(s.out().startsWith("1 34816"), s.out());
        assertNull(s.container().stdin());
    }

    @Test
    void aUserCanUseItsTerminal() throws Exception {
        DockerLikeSpec spec = spec("sh", "-c", "id -u; stty size; ls -ln /dev/pts/0 | awk '{print $3}'");
        spec.uid = 1000;
        spec.gid = 1000;
        Started s = start(spec, true, false, 30, 100);
        assertEquals(ExitStatus.code(0), s.awaitExit());
        assertEquals("1000\r\n30 100\r\n1000\r\n", s.out());
    }

    static void type(OutputStream in, String text) throws Exception {
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
