package keel.runtime.linux.internal.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MountInfoTest {

    static final String TEXT = String.join("\n",
            "23 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            "30 23 0:26 / /run rw,nosuid shared:5 - tmpfs tmpfs rw",
            "31 30 0:27 / /run/with\\040space rw - tmpfs tmpfs rw",
            "32 30 0:28 / /run/keel/netns rw master:3 - tmpfs tmpfs rw",
            "33 32 0:4 net:[4026532300] /run/keel/netns/a rw - nsfs nsfs rw");

    @Test
    void parsesFieldsAndEscapes() {
        List<MountInfo> m = MountInfo.parse(TEXT);
        assertEquals(5, m.size());
        assertEquals("/run/with space", m.get(2).mountPoint());
        assertTrue(m.get(1).isShared());
        assertFalse(m.get(3).isShared());
        assertEquals("nsfs", m.get(4).fsType());
        assertEquals("net:[4026532300]", m.get(4).root());
    }

    @Test
    void findsTheMountAtOrContainingAPath() {
        List<MountInfo> m = MountInfo.parse(TEXT);
        assertEquals(32, MountInfo.at(m, "/run/keel/netns").orElseThrow().id());
        assertTrue(MountInfo.at(m, "/run/keel").isEmpty());
        assertEquals(30, MountInfo.containing(m, "/run/keel/other").orElseThrow().id());
        assertEquals(23, MountInfo.containing(m, "/etc").orElseThrow().id());
        assertEquals(33, MountInfo.containing(m, "/run/keel/netns/a").orElseThrow().id());
    }
}
