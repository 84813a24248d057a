package keel.engine.api.container;

import java.util.List;
import java.util.Map;

/**
 * Docker's {@code HostConfig}: how a container uses the host (mounts, network mode, resources, privileges).
 * Memory and swap in bytes (-1 unlimited), {@code nanoCpus} in 1e-9 CPUs, {@code pidsLimit} 0 or -1 unlimited.
 */
public record HostConfig(
        List<String> binds,
        String containerIDFile,
        LogConfig logConfig,
        String networkMode,
        Map<String, List<PortBinding>> portBindings,
        RestartPolicy restartPolicy,
        Boolean autoRemove,
        String volumeDriver,
        List<String> volumesFrom,
        List<Integer> consoleSize,
        List<String> capAdd,
        List<String> capDrop,
        String cgroupnsMode,
        List<String> dns,
        List<String> dnsOptions,
        List<String> dnsSearch,
        List<String> extraHosts,
        List<String> groupAdd,
        String ipcMode,
        String cgroup,
        List<String> links,
        Integer oomScoreAdj,
        String pidMode,
        Boolean privileged,
        Boolean publishAllPorts,
        Boolean readonlyRootfs,
        List<String> securityOpt,
        Map<String, String> storageOpt,
        Map<String, String> tmpfs,
        String utsMode,
        String usernsMode,
        Long shmSize,
        Map<String, String> sysctls,
        String runtime,
        String isolation,
        // Resources
        Long cpuShares,
        Long memory,
        Long nanoCpus,
        String cgroupParent,
        Long cpuPeriod,
        Long cpuQuota,
        String cpusetCpus,
        String cpusetMems,
        List<DeviceMapping> devices,
        Long memoryReservation,
        Long memorySwap,
        Long memorySwappiness,
        Boolean oomKillDisable,
        Long pidsLimit,
        List<Ulimit> ulimits,
        // Mounts and init
        List<MountSpec> mounts,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        Boolean init) {

    public static final HostConfig EMPTY = new HostConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null);

    /** {@code --log-driver} and {@code --log-opt}. */
    public record LogConfig(String type, Map<String, String> config) {}

    /** One host side of a published port; {@code hostIp} and {@code hostPort} may be empty. */
    public record PortBinding(String hostIp, String hostPort) {}

    /** {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure} (with a retry count). */
    public record RestartPolicy(String name, Integer maximumRetryCount) {}

    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}

    public record Ulimit(String name, long soft, long hard) {}
}
