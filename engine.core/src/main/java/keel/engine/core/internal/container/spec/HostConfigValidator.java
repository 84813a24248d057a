package keel.engine.core.internal.container.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.MountSpec;
import keel.engine.api.errors.EngineException;

/**
 * The checks dockerd makes when a container is created, in Docker's order and with Docker's messages
 * (runconfig.decodeContainerConfig, daemon.verifyContainerSettings: validateContainerConfig, validateHostConfig,
 * verifyPlatformContainerSettings), followed by the checks Docker makes later in create or only at start, which Keel
 * makes here so that a container that cannot start is never created: bind syntax and duplicate mount points, security
 * options, ulimits, sysctls (runc's namespace rules), device permissions.
 *
 * <p>Returns Docker's warnings; throws INVALID_PARAMETER on the first error.
 */
public final class HostConfigValidator {

    /** Docker's floor for memory limits: room for the runtime and a useful container. */
    static final long MIN_MEMORY = 6 * 1024 * 1024;

    /** Docker's limit on cpuset values unless the host has more CPUs (CVE-2018-20699). */
    private static final int MAX_CPUS = 8192;

    /** Go's time.Duration of containertypes.MinimumDuration, 1 ms, in nanoseconds. */
    private static final long MIN_HEALTH_DURATION = 1_000_000;

    /** The ulimit names Docker's parser knows (go-units); "as" is left out as Docker leaves it out. */
    static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
            "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private final HostFacts facts;
    private final CapabilitySet capabilities;

    public HostConfigValidator(HostFacts facts) {
        this.facts = facts;
        this.capabilities = new CapabilitySet(facts.capabilities());
    }

    public List<String> validate(ContainerConfig config, HostConfig hostConfig) {
        ContainerConfig c = config == null ? ContainerConfig.EMPTY : config;
        HostConfig hc = hostConfig == null ? HostConfig.EMPTY : hostConfig;
        List<String> warnings = new ArrayList<>();

        // runconfig: the request as decoded
        String networkMode = hc.networkMode() == null || hc.networkMode().isEmpty() ? "default" : hc.networkMode();
        validateNetworkMode(c, hc, networkMode);
        if (hc.isolation() != null && !hc.isolation().isEmpty()
                && !hc.isolation().toLowerCase(Locale.ROOT).equals("default")) {
            throw invalid("invalid isolation (" + hc.isolation() + "): linux only supports 'default'");
        }
        if (hc.cpuShares() != null && hc.cpuShares() < 0) {
            throw invalid("invalid CPU shares (" + hc.cpuShares() + "): value must be a positive integer");
        }

        // validateContainerConfig
        if (c.workingDir() != null && !c.workingDir().isEmpty() && !c.workingDir().startsWith("/")) {
            throw invalid("the working directory '" + c.workingDir() + "' is invalid, it needs to be an absolute path");
        }
        if (c.env() != null) {
            for (String e : c.env()) {
                int eq = e.indexOf('=');
                if ((eq < 0 ? e : e.substring(0, eq)).isEmpty()) {
                    throw invalid("invalid environment variable: " + e);
                }
            }
        }
        validateHealthcheck(c.healthcheck());

        // validateHostConfig
        HostConfig.RestartPolicy rp = hc.restartPolicy();
        String rpName = rp == null || rp.name() == null ? "" : rp.name();
        if (Boolean.TRUE.equals(hc.autoRemove()) && !(rpName.isEmpty() || rpName.equals("no"))) {
            throw invalid("can't create 'AutoRemove' container with restart policy");
        }
        UserMounts userMounts = new UserMounts(facts.dataRoot());
        if (hc.mounts() != null) {
            for (MountSpec m : hc.mounts()) {
                userMounts.parseMount(m, true);
            }
        }
        if (hc.extraHosts() != null) {
            for (String eh : hc.extraHosts()) {
                validateExtraHost(eh);
            }
        }
        validateRestartPolicy(rpName, rp == null || rp.maximumRetryCount() == null ? 0 : rp.maximumRetryCount());
        try {
            capabilities.normalize(hc.capAdd());
        } catch (EngineException e) {
            throw invalid("invalid CapAdd: " + e.getMessage());
        }
        try {
            capabilities.normalize(hc.capDrop());
        } catch (EngineException e) {
            throw invalid("invalid CapDrop: " + e.getMessage());
        }

        // verifyPlatformContainerSettings
        validateResources(hc, warnings);
        if (!NamespaceModes.validIpc(hc.ipcMode())) {
            throw invalid("invalid IPC mode: " + hc.ipcMode());
        }
        if (!NamespaceModes.validPid(hc.pidMode())) {
            throw invalid("invalid PID mode: " + hc.pidMode());
        }
        if (hc.shmSize() != null && hc.shmSize() < 0) {
            throw invalid("SHM size can not be less than 0");
        }
        if (!NamespaceModes.validUts(hc.utsMode())) {
            throw invalid("invalid UTS mode: " + hc.utsMode());
        }
        int oom = hc.oomScoreAdj() == null ? 0 : hc.oomScoreAdj();
        if (oom < -1000 || oom > 1000) {
            throw invalid("Invalid value " + oom + ", range for oom score adj is [-1000, 1000]");
        }
        if (NamespaceModes.isHostNetwork(networkMode) && hc.portBindings() != null && !hc.portBindings().isEmpty()) {
            warnings.add("Published ports are discarded when using host network mode");
        }
        if (hc.tmpfs() != null) {
            for (String dest : hc.tmpfs().keySet()) {
                UserMounts.validateTmpfsDestination(dest);
            }
        }
        if (!NamespaceModes.validCgroupns(hc.cgroupnsMode())) {
            throw invalid("invalid cgroup namespace mode: " + hc.cgroupnsMode());
        }

        // checked by Docker later in create (registerMountPoints, security options) or at start
        userMounts.collect(hc, true);
        if (hc.tmpfs() != null) {
            for (String data : hc.tmpfs().values()) {
                TmpfsMountOptions.forData(data == null ? "" : data);
            }
        }
        SecurityOptions.parse(hc.securityOpt());
        validateUlimits(hc.ulimits());
        validateSysctls(hc, networkMode);
        validateDevices(hc.devices());
        return warnings;
    }

    private static void validateNetworkMode(ContainerConfig c, HostConfig hc, String mode) {
        if (mode.equals("container") || NamespaceModes.isContainer(mode)) {
            if (NamespaceModes.containerOf(mode).isEmpty()) {
                throw invalid("invalid network mode: invalid container format container:<name|id>");
            }
            if (c.hostname() != null && !c.hostname().isEmpty()) {
                throw invalid("conflicting options: hostname and the network mode");
            }
            if (hc.links() != null && !hc.links().isEmpty()) {
                throw invalid("conflicting options: container type network can't be used with links. "
                        + "This would result in undefined behavior");
            }
            if (hc.dns() != null && !hc.dns().isEmpty()) {
                throw invalid("conflicting options: dns and the network mode");
            }
            if (hc.extraHosts() != null && !hc.extraHosts().isEmpty()) {
                throw invalid("conflicting options: custom host-to-IP mapping and the network mode");
            }
            if ((hc.portBindings() != null && !hc.portBindings().isEmpty())
                    || Boolean.TRUE.equals(hc.publishAllPorts())) {
                throw invalid("conflicting options: port publishing and the container type network mode");
            }
            if (c.exposedPorts() != null && !c.exposedPorts().isEmpty()) {
                throw invalid("conflicting options: port exposing and the container type network mode");
            }
        }
        if (NamespaceModes.isHost(hc.utsMode()) && c.hostname() != null && !c.hostname().isEmpty()) {
            throw invalid("conflicting options: hostname and the UTS mode");
        }
        if (NamespaceModes.isHostNetwork(mode) && hc.links() != null && !hc.links().isEmpty()) {
            throw invalid("conflicting options: host type networking can't be used with links. "
                    + "This would result in undefined behavior");
        }
    }

    private static void validateHealthcheck(ContainerConfig.HealthConfig h) {
        if (h == null) {
            return;
        }
        checkDuration("Interval", h.interval());
        checkDuration("Timeout", h.timeout());
        if (h.retries() != null && h.retries() < 0) {
            throw invalid("Retries in Healthcheck cannot be negative");
        }
        checkDuration("StartPeriod", h.startPeriod());
        checkDuration("StartInterval", h.startInterval());
    }

    private static void checkDuration(String name, Long nanos) {
        if (nanos != null && nanos != 0 && nanos < MIN_HEALTH_DURATION) {
            throw invalid(name + " in Healthcheck cannot be less than 1ms");
        }
    }

    /** Docker's ValidateExtraHost: {@code name:ip}, ip an address or the word host-gateway. */
    static void validateExtraHost(String val) {
        int colon = val.indexOf(':');
        if (colon <= 0) {
            throw invalid("bad format for add-host: " + GoQuoted.of(val));
        }
        String ip = val.substring(colon + 1);
        if (!ip.equals("host-gateway") && (IpAddress.parse(ip.strip()) == null || ip.strip().contains("%"))) {
            throw invalid("invalid IP address in add-host: " + GoQuoted.of(ip));
        }
    }

    private static void validateRestartPolicy(String name, int maxRetry) {
        switch (name) {
            case "always", "unless-stopped", "no" -> {
                if (maxRetry != 0) {
                    String msg = "invalid restart policy: maximum retry count can only be used with 'on-failure'";
                    throw invalid(maxRetry < 0 ? msg + " and cannot be negative" : msg);
                }
            }
            case "on-failure" -> {
                if (maxRetry < 0) {
                    throw invalid("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            case "" -> {
                // before Docker 25 an unset policy was stored as ""; still accepted
            }
            default -> throw invalid("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
    }

    /** Docker's verifyPlatformContainerResources, in its order. */
    private void validateResources(HostConfig hc, List<String> warnings) {
        long memory = or0(hc.memory());
        long swap = or0(hc.memorySwap());
        Long swappiness = hc.memorySwappiness();
        if (swappiness != null && swappiness == -1) {
            swappiness = null;
        }
        if (memory != 0 && memory < MIN_MEMORY) {
            throw invalid("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && swap != -1 && !facts.swapLimit()) {
            warnings.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                    + "Memory limited without swap.");
            swap = -1;
        }
        if (memory > 0 && swap > 0 && swap < memory) {
            throw invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && swap > 0) {
            throw invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (swappiness != null && facts.cgroupVersion() == 2) {
            warnings.add("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. "
                    + "Memory swappiness discarded.");
            swappiness = null;
        }
        if (swappiness != null && (swappiness < 0 || swappiness > 100)) {
            throw invalid("Invalid value: " + swappiness + ", valid memory swappiness range is 0-100");
        }
        long reservation = or0(hc.memoryReservation());
        if (reservation > 0 && reservation < MIN_MEMORY) {
            throw invalid("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        Boolean oomKillDisable = hc.oomKillDisable();
        if (oomKillDisable != null && facts.cgroupVersion() == 2) {
            if (oomKillDisable) {
                warnings.add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
            }
            oomKillDisable = null;
        }
        if (Boolean.TRUE.equals(oomKillDisable) && memory == 0) {
            warnings.add("OOM killer is disabled for the container, but no memory limit is set, this can result in "
                    + "the system running out of resources.");
        }

        long nano = or0(hc.nanoCpus());
        long period = or0(hc.cpuPeriod());
        long quota = or0(hc.cpuQuota());
        if (nano > 0 && period > 0) {
            throw invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nano > 0 && quota > 0) {
            throw invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (nano != 0) {
            int nc = facts.cpuCount();
            if (nano < 0 || nano > nc * 1_000_000_000L) {
                throw invalid("range of CPUs is from 0.01 to " + nc + ".00, as there are only " + nc
                        + " CPUs available");
            }
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        checkCpuset(hc.cpusetCpus(), facts.cpusetCpus(), "cpus", "Requested CPUs are not available");
        checkCpuset(hc.cpusetMems(), facts.cpusetMems(), "mems", "Requested memory nodes are not available");
    }

    private static void checkCpuset(String requested, String available, String what, String unavailable) {
        if (requested == null || requested.isEmpty()) {
            return;
        }
        SortedSet<Integer> avail = CpuList.parse(available == null ? "" : available, 0);
        int max = Math.max(MAX_CPUS, avail.isEmpty() ? 0 : avail.last());
        SortedSet<Integer> req;
        try {
            req = CpuList.parse(requested, max);
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value " + requested + " for cpuset " + what + ": " + e.getMessage());
        }
        if (!avail.containsAll(req)) {
            throw invalid(unavailable + " - requested " + requested + ", available: " + available);
        }
    }

    /** go-units' rules: a known name, soft not above hard unless hard is unlimited (-1). */
    private static void validateUlimits(List<HostConfig.Ulimit> ulimits) {
        if (ulimits == null) {
            return;
        }
        for (HostConfig.Ulimit u : ulimits) {
            if (u.name() == null || !ULIMITS.contains(u.name())) {
                throw invalid("invalid ulimit type: " + u.name());
            }
            if (u.hard() != -1) {
                if (u.soft() == -1) {
                    throw invalid("ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), "
                            + "hard: " + u.hard());
                }
                if (u.soft() > u.hard()) {
                    throw invalid("ulimit soft limit must be less than or equal to hard limit: " + u.soft() + " > "
                            + u.hard());
                }
            }
        }
    }

    /**
     * runc's rule (libcontainer/configs/validate): only namespaced sysctls, and only when the container has that
     * namespace of its own: IPC ones need a private IPC namespace, net.* a network namespace that is not the
     * host's, kernel.domainname a private UTS namespace; kernel.hostname conflicts with the spec's hostname.
     */
    private static void validateSysctls(HostConfig hc, String networkMode) {
        if (hc.sysctls() == null) {
            return;
        }
        for (Map.Entry<String, String> e : hc.sysctls().entrySet()) {
            String s = dotted(e.getKey());
            if (IPC_SYSCTLS.contains(s) || s.startsWith("fs.mqueue.")) {
                if (NamespaceModes.isHost(hc.ipcMode())) {
                    throw invalid("sysctl " + GoQuoted.of(s) + " is not allowed in the hosts ipc namespace");
                }
                continue;
            }
            if (s.startsWith("net.")) {
                if (NamespaceModes.isHostNetwork(networkMode)) {
                    throw invalid("sysctl " + GoQuoted.of(s) + " not allowed in host network namespace");
                }
                continue;
            }
            if (!NamespaceModes.isHost(hc.utsMode())) {
                if (s.equals("kernel.domainname")) {
                    continue;
                }
                if (s.equals("kernel.hostname")) {
                    throw invalid("sysctl " + GoQuoted.of(s) + " is not allowed as it conflicts with the OCI "
                            + "\"hostname\" field");
                }
            }
            throw invalid("sysctl " + GoQuoted.of(s) + " is not in a separate kernel namespace");
        }
    }

    /** sysctl(8) accepts '/' as separator; runc swaps '.' and '/' when the first separator is a '/'. */
    private static String dotted(String key) {
        int first = -1;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == '.' || key.charAt(i) == '/') {
                first = i;
                break;
            }
        }
        if (first < 0 || key.charAt(first) == '.') {
            return key;
        }
        StringBuilder b = new StringBuilder(key.length());
        for (char ch : key.toCharArray()) {
            b.append(ch == '.' ? '/' : ch == '/' ? '.' : ch);
        }
        return b.toString();
    }

    /** The CLI's ValidateDevice rules, which API clients skip: an absolute host path, permissions within rwm. */
    private static void validateDevices(List<HostConfig.DeviceMapping> devices) {
        if (devices == null) {
            return;
        }
        for (HostConfig.DeviceMapping d : devices) {
            if (d.pathOnHost() == null || !d.pathOnHost().startsWith("/")) {
                throw invalid("bad format for path: " + d.pathOnHost());
            }
            if (d.pathInContainer() != null && !d.pathInContainer().isEmpty() && !d.pathInContainer().startsWith("/")) {
                throw invalid("bad format for path: " + d.pathInContainer());
            }
            String mode = d.cgroupPermissions() == null ? "" : d.cgroupPermissions();
            if (!mode.isEmpty() && !validDeviceMode(mode)) {
                throw invalid("invalid device mode: " + mode);
            }
        }
    }

    private static boolean validDeviceMode(String mode) {
        if (mode.length() > 3) {
            return false;
        }
        Set<Character> seen = new java.util.HashSet<>();
        for (char ch : mode.toCharArray()) {
            if ((ch != 'r' && ch != 'w' && ch != 'm') || !seen.add(ch)) {
                return false;
            }
        }
        return true;
    }

    private static long or0(Long v) {
        return v == null ? 0 : v;
    }

    private static EngineException invalid(String message) {
        return EngineException.invalid(message);
    }
}
