package keel.runtime.linux.internal.cgroups.v2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.oci.Linux;
import keel.runtime.linux.internal.cgroups.CgroupFiles;
import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.cgroups.CgroupPaths;
import keel.runtime.linux.internal.cgroups.DeviceRules;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * cgroup v2: one directory under the unified root. Controllers reach a cgroup only through the
 * {@code cgroup.subtree_control} of every ancestor; the manager enables them in the parents it creates itself and
 * never writes to a parent it did not create (the root belongs to the init system). A process is moved whole
 * ({@code cgroup.procs}), so the container's first process is placed while it waits at the start barrier, before
 * it execs.
 *
 * <p>Device rules become an eBPF program attached to the container's cgroup ({@link DeviceFilter}), as runc
 * does: v2 has no devices controller.
 */
public final class CgroupV2Manager implements CgroupManager {

    /** Controllers a container may need limits from, in the order they are enabled. */
    private static final List<String> WANTED = List.of("cpuset", "cpu", "io", "memory", "pids", "hugetlb");

    private final LinuxKernel kernel;
    private final Path root;
    private final Path leaf;

    public CgroupV2Manager(LinuxKernel kernel, Path unifiedRoot, String cgroupsPath) {
        this.kernel = kernel;
        this.root = unifiedRoot;
        this.leaf = unifiedRoot.resolve(CgroupPaths.relative(cgroupsPath));
    }

    /** Rebuilds a manager for an existing cgroup directory (from a container's state). */
    public CgroupV2Manager(LinuxKernel kernel, Path unifiedRoot, Path leaf) {
        this.kernel = kernel;
        this.root = unifiedRoot;
        this.leaf = leaf;
    }

    @Override
    public String version() {
        return "2";
    }

    @Override
    public void create(Linux.Resources resources) throws IOException {
        List<Path> made = new ArrayList<>();
        try {
            Path cur = root;
            for (Path part : root.relativize(leaf)) {
                cur = cur.resolve(part.toString());
                if (Files.isDirectory(cur)) {
                    continue; // not ours: used as it is
                }
                try {
                    kernel.mkdir(cur.toString(), 0755);
                    made.add(cur);
                } catch (ErrnoException e) {
                    if (e.errno() != LinuxKernel.EEXIST) {
                        throw e;
                    }
                }
                if (!cur.equals(leaf)) {
                    enableControllers(cur); // a parent we made: hand its controllers down
                }
            }
            if (!CgroupFiles.readPids(leaf, "cgroup.procs").isEmpty()) {
                throw new IOException("cgroup " + leaf + " is already in use");
            }
            apply(resources);
        } catch (IOException | RuntimeException e) {
            Collections.reverse(made);
            for (Path p : made) {
                CgroupFiles.removeWithRetries(kernel, p, Duration.ofMillis(200));
            }
            throw e;
        }
    }

    /** Turns on, in a parent we created, every wanted controller its own parent hands down. */
    private static void enableControllers(Path dir) throws IOException {
        Set<String> available = words(CgroupFiles.read(dir, "cgroup.controllers"));
        StringBuilder line = new StringBuilder();
        for (String c : WANTED) {
            if (available.contains(c)) {
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append('+').append(c);
            }
        }
        if (line.length() > 0) {
            CgroupFiles.write(dir, "cgroup.subtree_control", line.toString());
        }
    }

    private static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : s.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private void requireController(String controller) throws IOException {
        Set<String> available = words(CgroupFiles.read(leaf, "cgroup.controllers"));
        if (!available.contains(controller)) {
            throw new IOException("the " + controller + " controller is not enabled for " + leaf
                    + " (cgroup.subtree_control of its parent)");
        }
    }

    private void apply(Linux.Resources r) throws IOException {
        if (r == null) {
            return;
        }
        Linux.Memory mem = r.memory();
        if (mem != null) {
            boolean any = mem.limit() != null && mem.limit() != 0 || mem.swap() != null && mem.swap() != 0
                    || mem.reservation() != null && mem.reservation() != 0;
            if (any) {
                requireController("memory");
            }
            if (mem.limit() != null && mem.limit() != 0) {
                CgroupFiles.write(leaf, "memory.max", max(mem.limit()));
            }
            if (mem.swap() != null && mem.swap() != 0) {
                // The spec's swap is memory+swap (v1's memsw); v2's memory.swap.max counts swap alone.
                String swap;
                if (mem.swap() < 0) {
                    swap = "max";
                } else if (mem.limit() == null || mem.limit() <= 0) {
                    throw new IOException("invalid memory swap " + mem.swap() + " without a memory limit");
                } else if (mem.swap() < mem.limit()) {
                    throw new IOException("invalid memory swap " + mem.swap() + ": less than the memory limit "
                            + mem.limit());
                } else {
                    swap = Long.toString(mem.swap() - mem.limit());
                }
                if (CgroupFiles.exists(leaf, "memory.swap.max")) {
                    CgroupFiles.write(leaf, "memory.swap.max", swap);
                } else if (!swap.equals("0") && !swap.equals("max")) {
                    throw new IOException("swap limit asked for, but the kernel does not account swap"
                            + " (memory.swap.max missing)");
                }
            }
            if (mem.reservation() != null && mem.reservation() != 0) {
                CgroupFiles.write(leaf, "memory.low", max(mem.reservation()));
            }
            // memory.swappiness and oom_control have no v2 counterpart; like runc, they are not applied.
        }
        Linux.Cpu cpu = r.cpu();
        if (cpu != null) {
            if (cpu.shares() != null && cpu.shares() != 0) {
                requireController("cpu");
                CgroupFiles.write(leaf, "cpu.weight", Long.toString(weightOfShares(cpu.shares())));
            }
            if (cpu.quota() != null && cpu.quota() != 0 || cpu.period() != null && cpu.period() != 0) {
                requireController("cpu");
                String quota = cpu.quota() != null && cpu.quota() > 0 ? Long.toString(cpu.quota()) : "max";
                long period = cpu.period() != null && cpu.period() > 0 ? cpu.period() : 100_000;
                CgroupFiles.write(leaf, "cpu.max", quota + " " + period);
            }
            if (cpu.cpus() != null && !cpu.cpus().isEmpty()) {
                requireController("cpuset");
                CgroupFiles.write(leaf, "cpuset.cpus", cpu.cpus());
            }
            if (cpu.mems() != null && !cpu.mems().isEmpty()) {
                requireController("cpuset");
                CgroupFiles.write(leaf, "cpuset.mems", cpu.mems());
            }
        }
        if (r.pids() != null) {
            requireController("pids");
            long limit = r.pids().limit();
            CgroupFiles.write(leaf, "pids.max", limit > 0 ? Long.toString(limit) : "max");
        }
        if (r.devices() != null && !r.devices().isEmpty()) {
            attachDeviceFilter(r.devices());
        }
        if (r.unified() != null) {
            for (Map.Entry<String, String> e : r.unified().entrySet()) {
                String file = e.getKey();
                if (file.contains("/") || file.startsWith(".")) {
                    throw new IOException("invalid unified key " + file);
                }
                CgroupFiles.write(leaf, file, e.getValue());
            }
        }
    }

    /**
     * Loads the device program and attaches it to the leaf. The cgroup keeps the program alive (both descriptors
     * are closed here) and drops it when the cgroup is removed.
     */
    private void attachDeviceFilter(List<Linux.DeviceRule> rules) throws IOException {
        byte[] program;
        try {
            program = DeviceFilter.program(DeviceRules.withDefaults(rules));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        int prog = kernel.bpfProgLoad(LinuxKernel.BPF_PROG_TYPE_CGROUP_DEVICE, program, "Apache",
                LinuxKernel.BPF_CGROUP_DEVICE);
        try {
            int dir = kernel.open(leaf.toString(), LinuxKernel.O_RDONLY | LinuxKernel.O_DIRECTORY
                    | LinuxKernel.O_CLOEXEC, 0);
            try {
                kernel.bpfProgAttach(dir, prog, LinuxKernel.BPF_CGROUP_DEVICE, LinuxKernel.BPF_F_ALLOW_MULTI);
            } finally {
                kernel.close(dir);
            }
        } finally {
            kernel.close(prog);
        }
    }

    /** runc's conversion of cgroup v1 cpu.shares [2, 262144] to v2 cpu.weight [1, 10000]. */
    public static long weightOfShares(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    private static String max(long v) {
        return v < 0 ? "max" : Long.toString(v);
    }

    @Override
    public boolean placesThreads() {
        return false;
    }

    @Override
    public void addThread(int tid) throws IOException {
        throw new UnsupportedOperationException("cgroup v2 moves processes, not threads");
    }

    @Override
    public void addProcess(long pid) throws IOException {
        CgroupFiles.write(leaf, "cgroup.procs", Long.toString(pid));
    }

    @Override
    public List<Long> pids() throws IOException {
        if (!Files.isDirectory(leaf)) {
            return List.of();
        }
        return CgroupFiles.readPids(leaf, "cgroup.procs");
    }

    @Override
    public long oomKills() throws IOException {
        if (!CgroupFiles.exists(leaf, "memory.events")) {
            return 0;
        }
        return CgroupFiles.keyed(leaf, "memory.events", "oom_kill");
    }

    @Override
    public void freeze() throws IOException {
        CgroupFiles.write(leaf, "cgroup.freeze", "1");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (CgroupFiles.keyed(leaf, "cgroup.events", "frozen") != 1) {
            if (System.nanoTime() > deadline) {
                CgroupFiles.write(leaf, "cgroup.freeze", "0");
                throw new IOException("cgroup " + leaf + " did not freeze");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while freezing " + leaf);
            }
        }
    }

    @Override
    public void thaw() throws IOException {
        CgroupFiles.write(leaf, "cgroup.freeze", "0");
    }

    @Override
    public void killAll() throws IOException {
        if (CgroupFiles.exists(leaf, "cgroup.kill")) {
            CgroupFiles.write(leaf, "cgroup.kill", "1"); // Linux 5.14: atomic, no fork can escape
            return;
        }
        for (long pid : pids()) {
            try {
                kernel.kill(pid, LinuxKernel.SIGKILL);
            } catch (ErrnoException e) {
                // already gone
            }
        }
    }

    @Override
    public boolean destroy(Duration patience) {
        return CgroupFiles.removeWithRetries(kernel, leaf, patience);
    }

    @Override
    public Map<String, Path> paths() {
        return Map.of("", leaf);
    }
}
