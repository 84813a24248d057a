package keel.runtime.linux.internal.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import keel.engine.api.oci.Linux;

class DeviceRulesTest {

    @Test
    void dockersRulesThenRuncsDefaultsAsV1Lines() {
        List<DeviceRules.Line> lines = DeviceRules.forV1(List.of(new Linux.DeviceRule(false, null, null, null,
                "rwm"), new Linux.DeviceRule(true, "c", 1L, 5L, "rwm"), new Linux.DeviceRule(false, "c", 10L,
                        229L, "rwm"), new Linux.DeviceRule(true, "b", 8L, null, "r")));
        assertEquals(new DeviceRules.Line(false, "a *:* rwm"), lines.get(0));
        assertEquals(new DeviceRules.Line(true, "c 1:5 rwm"), lines.get(1));
        assertEquals(new DeviceRules.Line(false, "c 10:229 rwm"), lines.get(2));
        assertEquals(new DeviceRules.Line(true, "b 8:* r"), lines.get(3));
        assertEquals(new DeviceRules.Line(true, "c *:* m"), lines.get(4));
        assertEquals(new DeviceRules.Line(true, "c 136:* rwm"), lines.get(lines.size() - 3));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> DeviceRules.forV1(List.of(new Linux.DeviceRule(true, "x", 1L, 1L, "rwm"))));
        assertThrows(IllegalArgumentException.class,
                () -> DeviceRules.forV1(List.of(new Linux.DeviceRule(true, "c", 1L, 1L, "rwx"))));
    }
}
