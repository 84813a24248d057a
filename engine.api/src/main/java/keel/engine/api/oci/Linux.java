package keel.engine.api.oci;

import java.util.List;
import java.util.Map;

/** The Linux section: namespaces, cgroups, devices, masked paths and the rest of the isolation. */
public record Linux(
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, String> sysctl,
        Resources resources,
        String cgroupsPath,
        List<Namespace> namespaces,
        List<Device> devices,
        Seccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel) {

    /** {@code type} is one of pid, network, mount, ipc, uts, user, cgroup, time; a path joins an existing one. */
    public record Namespace(String type, String path) {}

    public record IdMapping(long containerID, long hostID, long size) {}

    /** A device node to create in the container's /dev. */
    public record Device(String type, String path, long major, long minor, Integer fileMode, Long uid, Long gid) {}

    public record Resources(
            List<DeviceRule> devices,
            Memory memory,
            Cpu cpu,
            Pids pids,
            Map<String, String> unified) {}

    /** A device cgroup rule; {@code type} is a, b or c, access a subset of rwm. */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}

    /** Bytes; -1 means unlimited. {@code swap} is memory plus swap, as in cgroup v1's memsw. */
    public record Memory(
            Long limit,
            Long reservation,
            Long swap,
            Long swappiness,
            Boolean disableOOMKiller) {}

    public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {}

    public record Pids(long limit) {}

    public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
            List<Syscall> syscalls) {

        public record Syscall(List<String> names, String action, Integer errnoRet, List<Arg> args) {}

        public record Arg(int index, long value, Long valueTwo, String op) {}
    }
}
