package keel.runtime.linux.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        StringBuilder line = new StringBuilder("4242 (we ird) (name)) Z 1 4242 4242 0 -1 4194560");
        // fields 10 to 21, then starttime (22), then up to exit_code (52)
        for (int f = 10; f <= 21; f++) {
            line.append(' ').append(f);
        }
        line.append(" 987654");
        for (int f = 23; f <= 51; f++) {
            line.append(' ').append(f);
        }
        line.append(" 10752\n"); // exit_code: status 42 << 8
        ProcStat s = ProcStat.parse(4242, line.toString());
        assertEquals('Z', s.state());
        assertTrue(s.zombie());
        assertEquals(987654, s.startTime());
        assertEquals(42 << 8, s.exitCode());
    }

    @Test
    void thisProcess() throws Exception {
        ProcStat s = ProcStat.of(ProcessHandle.current().pid()).orElseThrow();
        assertTrue(s.startTime() > 0);
        assertEquals('R', s.state() == 'S' ? 'R' : s.state());
    }
}
