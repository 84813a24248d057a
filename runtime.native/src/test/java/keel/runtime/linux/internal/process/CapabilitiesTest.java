package keel.runtime.linux.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    static final List<String> DOCKER = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    @Test
    void dockersDefaultsAreTheWellKnownMask() {
        assertEquals(0xa80425fbL, Capabilities.mask(DOCKER, 40));
    }

    @Test
    void unknownAndTooNewCapabilitiesAreLeftOut() {
        assertEquals(1L << 21, Capabilities.mask(List.of("CAP_SYS_ADMIN", "CAP_MADE_UP", "CAP_BPF"), 38));
        assertEquals(1L << 39, Capabilities.mask(List.of("bpf"), 40));
        assertEquals("CAP_CHECKPOINT_RESTORE", Capabilities.name(40));
    }
}
