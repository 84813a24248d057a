package keel.runtime.linux.internal.container;

import java.util.ArrayList;
import java.util.List;

import keel.runtime.linux.internal.syscall.LinuxKernel;
import keel.runtime.linux.internal.syscall.SpawnRequest;

/**
 * The child's fds 0, 1 and 2: either three host descriptors to dup2 (spool files, a pipe, /dev/null), or the
 * slave of a terminal to open (in the container) after setsid, which makes it the controlling terminal. Every
 * other descriptor is closed by the last file action (closefrom(3)), so nothing of the JVM's leaks in.
 */
record ChildStdio(int stdin, int stdout, int stderr, String ttySlave) {

    static ChildStdio fds(int stdin, int stdout, int stderr) {
        return new ChildStdio(stdin, stdout, stderr, null);
    }

    static ChildStdio terminal(String slave) {
        return new ChildStdio(-1, -1, -1, slave);
    }

    List<SpawnRequest.FileAction> actions() {
        List<SpawnRequest.FileAction> out = new ArrayList<>();
        if (ttySlave != null) {
            out.add(new SpawnRequest.Open(0, ttySlave, LinuxKernel.O_RDWR, 0));
            out.add(new SpawnRequest.Dup2(0, 1));
            out.add(new SpawnRequest.Dup2(0, 2));
        } else {
            out.add(new SpawnRequest.Dup2(stdin, 0));
            out.add(new SpawnRequest.Dup2(stdout, 1));
            out.add(new SpawnRequest.Dup2(stderr, 2));
        }
        out.add(new SpawnRequest.CloseFrom(3));
        return out;
    }
}
