package keel.runtime.linux.internal.container;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import keel.runtime.linux.internal.cgroups.CgroupManagers;
import keel.runtime.linux.internal.reaper.ProcessReaper;
import keel.runtime.linux.internal.syscall.LinuxKernel;
import keel.runtime.linux.internal.tty.PtyPump;

/**
 * What every container of one runtime instance shares: the kernel binding, cgroups, the two threads, and the
 * single-use threads launches run on.
 */
record RuntimeContext(LinuxKernel kernel, CgroupManagers cgroups, int lastCap, boolean hostHasKcore,
        ProcessReaper reaper, PtyPump pump, ExecutorService exits, Map<String, LinuxContainer> live,
        keel.runtime.linux.internal.thread.FreshThreads launchThreads) {

    RuntimeContext {
        if (live == null) {
            live = new ConcurrentHashMap<>();
        }
    }
}
