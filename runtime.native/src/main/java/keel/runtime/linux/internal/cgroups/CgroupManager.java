package keel.runtime.linux.internal.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import keel.engine.api.oci.Linux;

/**
 * One container's cgroup(s): made before its process starts, limited as linux.resources says, asked for its
 * processes, frozen and thawed, checked for OOM kills, and removed after the last process has gone. A manager
 * only ever touches the directories it made (the container's leaf, and parents it had to create), never a
 * process outside its cgroup.
 */
public interface CgroupManager {

    /** "1" or "2". */
    String version();

    /**
     * Creates the cgroup and writes the limits. On failure nothing is left behind. Messages name the file and
     * value, as runc's do ({@code failed to write "x" to "memory.limit_in_bytes": invalid argument}).
     */
    void create(Linux.Resources resources) throws IOException;

    /**
     * Whether a single thread can be placed in the cgroup (v1 {@code tasks}), so that a process it spawns is
     * born inside; v2 only moves whole processes, so the child is placed before it execs instead.
     */
    boolean placesThreads();

    /**
     * Moves the calling thread, {@code tid}, (v1 only); it must exit, or leave, before the cgroup can go.
     */
    void addThread(int tid) throws IOException;

    /** Moves a process (all its threads) into the cgroup. */
    void addProcess(long pid) throws IOException;

    List<Long> pids() throws IOException;

    /** How many processes the kernel's OOM killer killed in this cgroup so far. */
    long oomKills() throws IOException;

    void freeze() throws IOException;

    void thaw() throws IOException;

    /** SIGKILLs every process left in the cgroup (for containers sharing the host's PID namespace). */
    void killAll() throws IOException;

    /**
     * Removes the cgroup, retrying while the kernel still counts a process that has just exited (EBUSY).
     * Returns whether it is gone.
     */
    boolean destroy(Duration patience);

    /** The container's cgroup directory per hierarchy (v1: keyed by hierarchy name; v2: key ""). */
    Map<String, Path> paths();
}
