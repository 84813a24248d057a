package keel.runtime.linux.internal.cgroups.v1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.oci.Linux;
import keel.runtime.linux.internal.cgroups.CgroupFiles;
import keel.runtime.linux.internal.cgroups.CgroupLayout;
import keel.runtime.linux.internal.cgroups.CgroupManager;
import keel.runtime.linux.internal.cgroups.CgroupPaths;
import keel.runtime.linux.internal.cgroups.DeviceRules;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/**
 * cgroup v1: the container gets the same relative path (cgroupsPath, e.g. /keel/ID) under every controller
 * hierarchy. The launch thread writes its own TID to each {@code tasks} file, so the process it spawns is born in
 * the container's cgroups and no fork can escape a limit.
 */
public final class CgroupV1Manager implements CgroupManager {

    private static final long UNLIMITED = -1;

    private final LinuxKernel kernel;
    private final CgroupLayout layout;
    private final String relative;
    /** Leaf directory per hierarchy. */
    private final Map<String, Path> leaves = new LinkedHashMap<>();

    public CgroupV1Manager(LinuxKernel kernel, CgroupLayout layout, String cgroupsPath) {
        this.kernel = kernel;
        this.layout = layout;
        this.relative = CgroupPaths.relative(cgroupsPath);
        for (Map.Entry<String, Path> h : layout.hierarchies().entrySet()) {
            leaves.put(h.getKey(), h.getValue().resolve(relative));
        }
    }

    /** Rebuilds a manager for an existing cgroup from the paths kept in a container's state. */
    public CgroupV1Manager(LinuxKernel kernel, CgroupLayout layout, Map<String, Path> paths) {
        this.kernel = kernel;
        this.layout = layout;
        this.relative = null;
        leaves.putAll(paths);
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void create(Linux.Resources resources) throws IOException {
        if (resources != null && resources.unified() != null && !resources.unified().isEmpty()) {
            throw new IOException("invalid configuration: cannot use unified on cgroup v1");
        }
        List<Path> made = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> e : leaves.entrySet()) {
                Path root = layout.hierarchies().get(e.getKey());
                Path leaf = e.getValue();
                boolean fresh;
                try {
                    kernel.mkdir(leaf.toString(), 0755); // the common case: the parent (/keel) is there
                    made.add(leaf);
                    fresh = true;
                } catch (ErrnoException ex) {
                    if (ex.errno() == LinuxKernel.EEXIST) {
                        fresh = false;
                    } else if (ex.errno() == LinuxKernel.ENOENT) {
                        makeDirs(root, leaf, e.getKey(), made);
                        fresh = true;
                    } else {
                        throw ex;
                    }
                }
                if (fresh && isCpuset(e.getKey()) && !made.contains(leaf.getParent())) {
                    copyIfEmpty(leaf.getParent(), leaf, "cpuset.cpus");
                    copyIfEmpty(leaf.getParent(), leaf, "cpuset.mems");
                }
                // A leftover directory may be reused, but never one with processes: it is not ours.
                if (!fresh && !CgroupFiles.readPids(leaf, "cgroup.procs").isEmpty()) {
                    throw new IOException("cgroup " + leaf + " is already in use");
                }
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

    /** mkdir -p below the hierarchy root, remembering what we made; cpuset dirs get the parent's cpus/mems. */
    private void makeDirs(Path root, Path leaf, String hierarchy, List<Path> made) throws IOException {
        Path rel = root.relativize(leaf);
        Path cur = root;
        for (Path part : rel) {
            Path parent = cur;
            cur = cur.resolve(part.toString());
            if (Files.isDirectory(cur)) {
                continue;
            }
            try {
                kernel.mkdir(cur.toString(), 0755);
                made.add(cur);
            } catch (ErrnoException e) {
                if (e.errno() != LinuxKernel.EEXIST) {
                    throw e;
                }
            }
            if (isCpuset(hierarchy)) {
                // A new cpuset cgroup starts with empty cpus and mems, and no task can join it until they are set.
                copyIfEmpty(parent, cur, "cpuset.cpus");
                copyIfEmpty(parent, cur, "cpuset.mems");
            }
        }
    }

    private boolean isCpuset(String hierarchy) {
        return layout.controllersByHierarchy().getOrDefault(hierarchy, java.util.Set.of()).contains("cpuset");
    }

    private void copyIfEmpty(Path from, Path to, String file) throws IOException {
        if (CgroupFiles.read(to, file).isBlank()) {
            CgroupFiles.write(kernel, to, file, CgroupFiles.read(from, file).trim());
        }
    }

    private void apply(Linux.Resources r) throws IOException {
        if (r == null) {
            return;
        }
        Linux.Memory mem = r.memory();
        if (mem != null) {
            Path dir = leaf("memory");
            if (dir == null) {
                throw new IOException("memory limits asked for, but the memory cgroup controller is not mounted");
            }
            if (mem.limit() != null && mem.limit() != 0) {
                CgroupFiles.write(kernel, dir, "memory.limit_in_bytes",
                        Long.toString(unlimited(mem.limit())));
            }
            if (mem.swap() != null && mem.swap() != 0) {
                if (CgroupFiles.exists(dir, "memory.memsw.limit_in_bytes")) {
                    CgroupFiles.write(kernel, dir, "memory.memsw.limit_in_bytes",
                            Long.toString(unlimited(mem.swap())));
                } else if (mem.swap() > 0 && (mem.limit() == null || !mem.swap().equals(mem.limit()))) {
                    throw new IOException("swap limit asked for, but the kernel does not account swap"
                            + " (memory.memsw.limit_in_bytes missing)");
                }
            }
            if (mem.reservation() != null && mem.reservation() != 0) {
                CgroupFiles.write(kernel, dir, "memory.soft_limit_in_bytes",
                        Long.toString(unlimited(mem.reservation())));
            }
            if (mem.swappiness() != null && mem.swappiness() >= 0 && mem.swappiness() <= 100) {
                CgroupFiles.write(kernel, dir, "memory.swappiness", Long.toString(mem.swappiness()));
            }
            if (Boolean.TRUE.equals(mem.disableOOMKiller())) {
                CgroupFiles.write(kernel, dir, "memory.oom_control", "1");
            }
        }
        Linux.Cpu cpu = r.cpu();
        if (cpu != null) {
            Path dir = leaf("cpu");
            if (cpu.shares() != null && cpu.shares() != 0) {
                CgroupFiles.write(kernel, need(dir, "cpu"), "cpu.shares", Long.toString(cpu.shares()));
            }
            if (cpu.period() != null && cpu.period() != 0) {
                CgroupFiles.write(kernel, need(dir, "cpu"), "cpu.cfs_period_us", Long.toString(cpu.period()));
            }
            if (cpu.quota() != null && cpu.quota() != 0) {
                CgroupFiles.write(kernel, need(dir, "cpu"), "cpu.cfs_quota_us", Long.toString(cpu.quota()));
            }
            Path cpuset = leaf("cpuset");
            if (cpu.cpus() != null && !cpu.cpus().isEmpty()) {
                CgroupFiles.write(kernel, need(cpuset, "cpuset"), "cpuset.cpus", cpu.cpus());
            }
            if (cpu.mems() != null && !cpu.mems().isEmpty()) {
                CgroupFiles.write(kernel, need(cpuset, "cpuset"), "cpuset.mems", cpu.mems());
            }
        }
        if (r.pids() != null) {
            long limit = r.pids().limit();
            CgroupFiles.write(kernel, need(leaf("pids"), "pids"), "pids.max",
                    limit > 0 ? Long.toString(limit) : "max");
        }
        if (r.devices() != null && !r.devices().isEmpty()) {
            Path dir = need(leaf("devices"), "devices");
            // In order, each run of rules for the same file in one open (a write per rule, as the kernel wants).
            List<String> run = new ArrayList<>();
            String file = null;
            for (DeviceRules.Line line : DeviceRules.forV1(r.devices())) {
                String f = line.allow() ? "devices.allow" : "devices.deny";
                if (file != null && !file.equals(f)) {
                    CgroupFiles.writeEach(kernel, dir, file, run);
                    run.clear();
                }
                file = f;
                run.add(line.text());
            }
            if (!run.isEmpty()) {
                CgroupFiles.writeEach(kernel, dir, file, run);
            }
        }
    }

    private static long unlimited(long v) {
        return v < 0 ? UNLIMITED : v;
    }

    private static Path need(Path dir, String controller) throws IOException {
        if (dir == null) {
            throw new IOException("the " + controller + " cgroup controller is not mounted");
        }
        return dir;
    }

    /** The container's directory in the hierarchy carrying {@code controller}, or null. */
    private Path leaf(String controller) {
        String h = layout.hierarchyOf(controller);
        return h == null ? null : leaves.get(h);
    }

    @Override
    public boolean placesThreads() {
        return true;
    }

    /**
     * Moves the calling thread. It writes "0" (the caller) rather than its TID: for the caller the kernel skips
     * the global cgroup_threadgroup_rwsem, whose write side waits for an RCU grace period (milliseconds, per
     * hierarchy). "tasks", not cgroup.procs, which would move the whole JVM.
     */
    @Override
    public void addThread(int tid) throws IOException {
        for (Path dir : leaves.values()) {
            CgroupFiles.write(kernel, dir, "tasks", "0");
        }
    }

    @Override
    public void addProcess(long pid) throws IOException {
        for (Path dir : leaves.values()) {
            CgroupFiles.write(kernel, dir, "cgroup.procs", Long.toString(pid));
        }
    }

    @Override
    public List<Long> pids() throws IOException {
        Path dir = anyLeaf();
        return dir == null ? List.of() : CgroupFiles.readPids(dir, "cgroup.procs");
    }

    /** A hierarchy every task of the container is in; pids or freezer first, as they are always there. */
    private Path anyLeaf() {
        for (String c : List.of("pids", "freezer", "memory", "devices", "cpu")) {
            Path p = leaf(c);
            if (p != null && Files.isDirectory(p)) {
                return p;
            }
        }
        for (Path p : leaves.values()) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public long oomKills() throws IOException {
        Path dir = leaf("memory");
        if (dir == null || !Files.exists(dir.resolve("memory.oom_control"))) {
            return 0;
        }
        return CgroupFiles.keyed(dir, "memory.oom_control", "oom_kill");
    }

    @Override
    public void freeze() throws IOException {
        Path dir = need(leaf("freezer"), "freezer");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            // Writing FROZEN again nudges a cgroup stuck in FREEZING (a task in an uninterruptible sleep).
            CgroupFiles.write(kernel, dir, "freezer.state", "FROZEN");
            String state = CgroupFiles.read(dir, "freezer.state").trim();
            if (state.equals("FROZEN")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                CgroupFiles.write(kernel, dir, "freezer.state", "THAWED");
                throw new IOException("cgroup " + dir + " did not freeze (still " + state + ")");
            }
            sleep(1);
        }
    }

    @Override
    public void thaw() throws IOException {
        CgroupFiles.write(kernel, need(leaf("freezer"), "freezer"), "freezer.state", "THAWED");
    }

    @Override
    public void killAll() throws IOException {
        Path freezer = leaf("freezer");
        boolean frozen = false;
        if (freezer != null && Files.isDirectory(freezer)) {
            try {
                freeze(); // no new forks while we go through the list
                frozen = true;
            } catch (IOException e) {
                // kill what we can anyway
            }
        }
        try {
            for (long pid : pids()) {
                try {
                    kernel.kill(pid, LinuxKernel.SIGKILL);
                } catch (ErrnoException e) {
                    // already gone
                }
            }
        } finally {
            if (frozen) {
                thaw();
            }
        }
    }

    @Override
    public boolean destroy(Duration patience) {
        boolean all = true;
        for (Path dir : leaves.values()) {
            all &= CgroupFiles.removeWithRetries(kernel, dir, patience);
        }
        return all;
    }

    @Override
    public Map<String, Path> paths() {
        return Collections.unmodifiableMap(leaves);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
