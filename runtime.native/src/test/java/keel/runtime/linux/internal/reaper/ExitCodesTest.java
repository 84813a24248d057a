package keel.runtime.linux.internal.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import keel.runtime.linux.internal.syscall.LinuxKernel;

/** The shell's exit code from waitid's siginfo and from wait(2)-encoded statuses. */
class ExitCodesTest {

    @Test
    void fromSiginfo() {
        assertEquals(3, ProcessReaper.exitCode(new LinuxKernel.WaitResult(1, LinuxKernel.CLD_EXITED, 3)));
        assertEquals(137, ProcessReaper.exitCode(new LinuxKernel.WaitResult(1, LinuxKernel.CLD_KILLED, 9)));
        assertEquals(139, ProcessReaper.exitCode(new LinuxKernel.WaitResult(1, LinuxKernel.CLD_DUMPED, 11)));
    }

    @Test
    void fromWaitStatus() {
        assertEquals(42, ProcessReaper.exitCodeOfWaitStatus(42 << 8));
        assertEquals(137, ProcessReaper.exitCodeOfWaitStatus(9));
        assertEquals(139, ProcessReaper.exitCodeOfWaitStatus(11 | 0x80)); // core dumped
        assertEquals(0, ProcessReaper.exitCodeOfWaitStatus(0));
    }
}
