package keel.runtime.linux.internal.rootfs;

import static keel.runtime.linux.internal.syscall.LinuxKernel.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MountOptionsTest {

    @Test
    void dockersDevMount() {
        MountOptions o = MountOptions.parse("tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        assertEquals(MS_NOSUID | MS_STRICTATIME, o.flags());
        assertEquals("mode=755,size=65536k", o.data());
        assertFalse(o.bind());
        assertEquals(MOUNT_ATTR_NOSUID | MOUNT_ATTR_STRICTATIME, o.mountAttributes());
    }

    @Test
    void bindsWithPropagationAndReadOnly() {
        MountOptions o = MountOptions.parse("bind", List.of("rbind", "ro", "rprivate"));
        assertTrue(o.bind());
        assertTrue(o.recursiveBind());
        assertTrue(o.readOnly());
        assertEquals(MS_PRIVATE | MS_REC, o.propagation());
        assertEquals("", o.data());
        assertEquals(MOUNT_ATTR_RDONLY, o.mountAttributes());

        MountOptions plain = MountOptions.parse("none", List.of("bind", "rslave"));
        assertTrue(plain.bind());
        assertFalse(plain.recursiveBind());
        assertEquals(MS_SLAVE | MS_REC, plain.propagation());
    }

    @Test
    void laterOptionsWinAndClearingOptionsClear() {
        MountOptions o = MountOptions.parse("tmpfs", List.of("ro", "nosuid", "rw", "suid", "noexec"));
        assertEquals(MS_NOEXEC, o.flags());
    }

    @Test
    void recursiveAttributes() {
        MountOptions o = MountOptions.parse("bind", List.of("rbind", "rro", "rnosuid", "rsuid", "rnoexec"));
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC, o.recursiveSet());
        assertEquals(MOUNT_ATTR_NOSUID, o.recursiveClear());
    }

    @Test
    void idmappedMountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MountOptions.parse("bind", List.of("rbind", "idmap")));
    }
}
