package keel.runtime.linux.internal.cgroups.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Linux;

/** The v1 rule semantics the eBPF program reproduces. */
class DeviceFilterTest {

    static Linux.DeviceRule allow(String t, Long ma, Long mi, String a) {
        return new Linux.DeviceRule(true, t, ma, mi, a);
    }

    static Linux.DeviceRule deny(String t, Long ma, Long mi, String a) {
        return new Linux.DeviceRule(false, t, ma, mi, a);
    }

    @Test
    void dockersRulesAreADenyDefaultWithAllowedExceptions() {
        DeviceFilter.Policy p = DeviceFilter.emulate(List.of(deny(null, null, null, "rwm"),
                allow("c", 1L, 5L, "rwm"), allow("c", 1L, 3L, "rwm"), deny("c", 10L, 229L, "rwm"),
                allow("c", null, null, "m")));
        assertFalse(p.defaultAllow());
        assertEquals(List.of(new DeviceFilter.Exception('c', 1, 5, 7), new DeviceFilter.Exception('c', 1, 3, 7),
                new DeviceFilter.Exception('c', -1, -1, 1)), p.exceptions());
    }

    @Test
    void aDenyAfterAnAllowTakesAccessesAway() {
        DeviceFilter.Policy p = DeviceFilter.emulate(List.of(deny("a", null, null, "rwm"),
                allow("c", 1L, 3L, "rwm"), deny("c", 1L, 3L, "w"), allow("b", 8L, 0L, "r"),
                deny("b", 8L, 0L, "r")));
        assertEquals(List.of(new DeviceFilter.Exception('c', 1, 3, 3)), p.exceptions());
    }

    @Test
    void withAnAllowDefaultDeniesAreTheExceptions() {
        DeviceFilter.Policy p = DeviceFilter.emulate(List.of(deny("c", 1L, 11L, "rw")));
        assertTrue(p.defaultAllow());
        assertEquals(List.of(new DeviceFilter.Exception('c', 1, 11, 6)), p.exceptions());
    }

    @Test
    void theProgramEndsWithTheDefault() {
        byte[] prog = DeviceFilter.program(List.of(deny(null, null, null, "rwm")));
        // 7 header instructions, then "r0 = 0; exit"
        assertEquals(9 * 8, prog.length);
        assertEquals((byte) 0xb7, prog[7 * 8]);
        assertEquals((byte) 0x95, prog[8 * 8]);
    }
}
