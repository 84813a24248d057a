package keel.engine.core.internal.container.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.HostConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.api.oci.Linux;
import keel.engine.api.oci.Mount;
import keel.engine.api.oci.Process;
import keel.engine.api.oci.Root;
import keel.engine.api.oci.Spec;

/**
 * Turns a container into the OCI runtime spec dockerd 28 would hand to runc (daemon/oci_linux.go createSpec and
 * the defaults of oci/defaults.go), field for field, plus what runc itself derives from the image at start (HOME
 * from /etc/passwd), since Keel's runtime reads nothing but the spec.
 *
 * <p>Not implemented, and said so where it matters: a seccomp filter (Docker's default profile is not applied;
 * custom profiles are refused), AppArmor's docker-default profile, SELinux labels, user-namespace remapping,
 * volumes, blkio limits, device cgroup rules and GPU requests (not in Keel's HostConfig).
 *
 * <p>Errors: Docker reports any failure while building the spec of a container being started as a system error
 * (HTTP 500), because the configuration was accepted at create; {@link #build} does the same. Validation errors
 * for create are {@link HostConfigValidator}'s.
 */
public final class OciSpecBuilder {

    static final List<String> DEFAULT_MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts",
            "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    static final List<String> DEFAULT_READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** Docker's device cgroup rules: deny all, then the devices every container may use; never /dev/net/tun... */
    static List<Linux.DeviceRule> defaultDeviceRules() {
        return List.of(
                new Linux.DeviceRule(false, null, null, null, "rwm"),
                new Linux.DeviceRule(true, "c", 1L, 5L, "rwm"), // /dev/zero
                new Linux.DeviceRule(true, "c", 1L, 3L, "rwm"), // /dev/null
                new Linux.DeviceRule(true, "c", 1L, 9L, "rwm"), // /dev/urandom
                new Linux.DeviceRule(true, "c", 1L, 8L, "rwm"), // /dev/random
                new Linux.DeviceRule(true, "c", 5L, 0L, "rwm"), // /dev/tty
                new Linux.DeviceRule(true, "c", 5L, 1L, "rwm"), // /dev/console
                new Linux.DeviceRule(false, "c", 10L, 229L, "rwm")); // /dev/fuse: explicitly not
    }

    /** The CFS period Docker uses for --cpus: 100 ms. */
    static final long CPU_PERIOD_US = 100_000;

    private final HostFacts facts;
    private final DaemonDefaults daemon;
    private final DeviceNodes devices;
    private final CapabilitySet capabilities;
    private final ContainerMounts containerMounts;

    /** On this host's devices and mount table, with Docker's daemon defaults. */
    public OciSpecBuilder(HostFacts facts) {
        this(facts, DaemonDefaults.DOCKER, DeviceNodes.host(), MountTable.proc());
    }

    public OciSpecBuilder(HostFacts facts, DaemonDefaults daemon, DeviceNodes devices, MountTable mountTable) {
        this.facts = facts;
        this.daemon = daemon;
        this.devices = devices;
        this.capabilities = new CapabilitySet(facts.capabilities());
        this.containerMounts = new ContainerMounts(facts, mountTable);
    }

    /**
     * A container's hostname when its config names none (Docker decides at create and stores it in the config):
     * the host's for {@code --network host}, else the first 12 hex digits of the ID. For
     * {@code --network container:x} Docker copies x's hostname into the config; the lifecycle does that.
     */
    public String hostnameOf(String containerId, ContainerConfig config, HostConfig hostConfig) {
        if (config != null && config.hostname() != null && !config.hostname().isEmpty()) {
            return config.hostname();
        }
        if (hostConfig != null && NamespaceModes.isHostNetwork(hostConfig.networkMode())) {
            return facts.hostname();
        }
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    public Spec build(SpecRequest req) {
        return build(req, JoinedNamespaces.NONE);
    }

    public Spec build(SpecRequest req, JoinedNamespaces joined) {
        try {
            return doBuild(req, joined == null ? JoinedNamespaces.NONE : joined);
        } catch (EngineException e) {
            if (e.kind() == EngineException.Kind.SYSTEM) {
                throw e;
            }
            throw new EngineException(EngineException.Kind.SYSTEM, e.getMessage(), e);
        } catch (IOException e) {
            throw EngineException.system(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private Spec doBuild(SpecRequest req, JoinedNamespaces joined) throws IOException {
        ContainerConfig cfg = req.config() == null ? ContainerConfig.EMPTY : req.config();
        HostConfig hc = req.hostConfig() == null ? HostConfig.EMPTY : req.hostConfig();
        boolean privileged = Boolean.TRUE.equals(hc.privileged());
        boolean tty = Boolean.TRUE.equals(cfg.tty());
        SecurityOptions security = SecurityOptions.parse(hc.securityOpt());
        String hostname = hostnameOf(req.containerId(), cfg, hc);

        // ---- process
        List<String> args = commandOf(cfg);
        Mount initMount = null;
        boolean init = hc.init() != null ? hc.init() : daemon.init();
        if (init && NamespaceModes.isPrivatePid(hc.pidMode())) {
            // only in a PID namespace of its own: elsewhere there is already an init (the host's or the other
            // container's)
            if (req.initBinary() == null) {
                throw EngineException.system("--init was requested but no init binary (docker-init) is available",
                        null);
            }
            List<String> withInit = new ArrayList<>(List.of(ContainerMounts.INIT_PATH, "--"));
            withInit.addAll(args);
            args = withInit;
            initMount = new Mount(ContainerMounts.INIT_PATH, "bind", req.initBinary().toString(),
                    List.of("bind", "ro"));
        }
        String workingDir = cfg.workingDir() == null || cfg.workingDir().isEmpty() ? null
                : UserMounts.clean(cfg.workingDir());
        if (workingDir != null) {
            createWorkingDir(req.rootfs(), workingDir);
        }
        List<String> env = ContainerEnv.daemonEnvironment(hostname, tty, cfg.env());

        UserResolver users = new UserResolver(req.rootfs());
        UserResolver.ResolvedUser user = users.resolve(cfg.user());
        List<Long> extraGroups = req.extraGroups() != null ? req.extraGroups()
                : users.additionalGroups(hc.groupAdd());
        env = ContainerEnv.withHome(env, user.home());

        List<String> caps = capabilities.tweak(hc.capAdd(), hc.capDrop(), privileged);
        boolean nnp = security.noNewPrivileges() != null ? security.noNewPrivileges() : daemon.noNewPrivileges();
        Process process = new Process(
                tty ? Boolean.TRUE : null,
                tty ? consoleSize(hc.consoleSize()) : null,
                processUser(user, extraGroups),
                args,
                env,
                workingDir == null ? "/" : workingDir,
                new Process.Capabilities(caps, caps, null, caps, null),
                rlimits(hc.ulimits()),
                nnp ? Boolean.TRUE : null,
                appArmorProfile(security, privileged),
                hc.oomScoreAdj() == null ? 0 : hc.oomScoreAdj(),
                null);

        // ---- mounts
        String ipcMode = NamespaceModes.ipc(hc.ipcMode(), daemon);
        long shmSize = hc.shmSize() == null || hc.shmSize() == 0 ? daemon.shmSize() : hc.shmSize();
        boolean containerNetwork = NamespaceModes.isContainer(hc.networkMode());
        Path networkFiles = containerNetwork && joined.networkFilesDir() != null ? joined.networkFilesDir()
                : req.containerDir();
        boolean writableCgroups = security.writableCgroups() != null ? security.writableCgroups() : privileged;
        ContainerMounts.Plan plan = containerMounts.plan(new ContainerMounts.Inputs(
                new UserMounts(facts.dataRoot()).collect(hc, false), networkFiles, initMount, joined.shm(), ipcMode,
                shmSize, Boolean.TRUE.equals(hc.readonlyRootfs()), privileged, writableCgroups));

        // ---- linux
        Map<String, String> sysctl = new TreeMap<>();
        if (cfg.domainname() != null && !cfg.domainname().isEmpty()) {
            // the OCI spec has no NIS domain name field; this sysctl has the effect of setdomainname(2)
            sysctl.put("kernel.domainname", cfg.domainname());
        }
        if (NamespaceModes.isPrivateNetwork(hc.networkMode())) {
            // safe in a network namespace of the container's own, and what the default capabilities allow anyway
            if (facts.pingGroupRange()) {
                sysctl.put("net.ipv4.ping_group_range", "0 2147483647");
            }
            if (facts.unprivilegedPortStart()) {
                sysctl.put("net.ipv4.ip_unprivileged_port_start", "0");
            }
        }
        if (hc.sysctls() != null) {
            sysctl.putAll(hc.sysctls());
        }

        List<Linux.Device> devs = new ArrayList<>();
        List<Linux.DeviceRule> rules = new ArrayList<>(defaultDeviceRules());
        deviceSetup(hc, privileged, devs, rules);

        Linux linux = new Linux(null, null, sysctl.isEmpty() ? null : sysctl,
                new Linux.Resources(List.copyOf(rules), memory(hc), cpu(hc), pids(hc), null),
                req.cgroupsPath(), namespaces(req, cfg, hc, ipcMode, privileged, joined),
                devs.isEmpty() ? null : List.copyOf(devs), null, plan.rootfsPropagation(),
                paths(hc.maskedPaths(), privileged, maskedDefaults()),
                paths(hc.readonlyPaths(), privileged, DEFAULT_READONLY_PATHS), null);

        String specHostname = NamespaceModes.isHost(hc.utsMode()) ? null : hostname;
        return new Spec(Spec.VERSION, process,
                new Root(req.rootfs().toString(), Boolean.TRUE.equals(hc.readonlyRootfs()) ? Boolean.TRUE : null),
                specHostname, null, plan.mounts(), null, null, linux);
    }

    /**
     * The OCI process of {@code docker exec}, exactly as dockerd derives it (daemon/exec.go, exec_linux.go): the
     * container's process with the exec's arguments, an environment rebuilt from the container's config and the
     * exec's Env, the exec's (else the container's) user and working directory, all capabilities when privileged.
     * HOME is the exec user's when nothing sets it, as runc exec does.
     *
     * @throws EngineException INVALID_PARAMETER for a user or group that does not resolve (Docker checks it when the
     *         exec is created)
     */
    public Process execProcess(Spec containerSpec, ExecConfig exec, Path rootfs, ContainerConfig config,
            HostConfig hostConfig) {
        ContainerConfig cfg = config == null ? ContainerConfig.EMPTY : config;
        HostConfig hc = hostConfig == null ? HostConfig.EMPTY : hostConfig;
        boolean tty = Boolean.TRUE.equals(exec.tty());
        String hostname = cfg.hostname();
        if (hostname == null || hostname.isEmpty()) {
            // a config stored without its defaulted hostname: take the one the container was started with
            hostname = "";
            for (String e : containerSpec.process().env()) {
                if (e.startsWith("HOSTNAME=")) {
                    hostname = e.substring("HOSTNAME=".length());
                    break;
                }
            }
        }
        List<String> env = ContainerEnv.replaceOrAppend(ContainerEnv.daemonEnvironment(hostname, tty, cfg.env()),
                exec.env());
        String userSpec = exec.user() != null && !exec.user().isEmpty() ? exec.user() : cfg.user();
        String workingDir = exec.workingDir() != null && !exec.workingDir().isEmpty() ? exec.workingDir()
                : cfg.workingDir();
        return execProcess(containerSpec, exec, rootfs, env, userSpec, workingDir, hc.groupAdd());
    }

    /**
     * {@code docker exec} from the container's spec alone, for callers without the container's config: the
     * environment is the container process's, minus the {@code TERM=xterm} Docker adds for a terminal the exec
     * does not have (plus it when the exec has one), minus the HOME this builder added for the container's user;
     * the user and working directory default to the container process's. Equal to the five-argument form except
     * when the container's Env itself set {@code TERM=xterm} or a HOME equal to its user's home.
     */
    public Process execProcess(Spec containerSpec, ExecConfig exec, Path rootfs) {
        Process base = containerSpec.process();
        boolean tty = Boolean.TRUE.equals(exec.tty());
        List<String> env = new ArrayList<>(base.env() == null ? List.of() : base.env());
        boolean containerTty = Boolean.TRUE.equals(base.terminal());
        int term = env.indexOf("TERM=xterm");
        if (containerTty && !tty && term == 2) {
            env.remove(2);
        } else if (tty && env.stream().noneMatch(e -> e.startsWith("TERM="))) {
            env.add(Math.min(2, env.size()), "TERM=xterm");
        }
        if (!env.isEmpty() && env.get(env.size() - 1).startsWith("HOME=")) {
            String home = env.get(env.size() - 1).substring(5);
            if (home.equals(new UserResolver(rootfs).homeOf(base.user().uid()))) {
                env.remove(env.size() - 1);
            }
        }
        env = ContainerEnv.replaceOrAppend(env, exec.env());
        String userSpec = exec.user() != null && !exec.user().isEmpty() ? exec.user() : null;
        String workingDir = exec.workingDir() != null && !exec.workingDir().isEmpty() ? exec.workingDir()
                : base.cwd();
        return execProcess(containerSpec, exec, rootfs, env, userSpec, workingDir, null);
    }

    private Process execProcess(Spec containerSpec, ExecConfig exec, Path rootfs, List<String> env, String userSpec,
            String workingDir, List<String> groupAdd) {
        Process base = containerSpec.process();
        boolean tty = Boolean.TRUE.equals(exec.tty());
        if (exec.cmd() == null || exec.cmd().isEmpty()) {
            throw EngineException.invalid("No exec command specified");
        }
        UserResolver users = new UserResolver(rootfs);
        Process.User user = base.user();
        if (userSpec != null && !userSpec.isEmpty()) {
            UserResolver.ResolvedUser u = users.resolve(userSpec);
            user = processUser(u, users.additionalGroups(groupAdd));
        }
        env = ContainerEnv.withHome(env, users.homeOf(user.uid()));
        Process.Capabilities caps = base.capabilities();
        if (Boolean.TRUE.equals(exec.privileged())) {
            List<String> all = capabilities.all();
            caps = new Process.Capabilities(all, all, null, all, null);
        }
        Process.Box box = base.consoleSize();
        if (tty && exec.consoleSize() != null) {
            box = consoleSize(exec.consoleSize());
        }
        return new Process(tty ? Boolean.TRUE : null, box, user, List.copyOf(exec.cmd()), env,
                workingDir == null || workingDir.isEmpty() ? "/" : workingDir, caps, base.rlimits(),
                base.noNewPrivileges(), base.apparmorProfile(), base.oomScoreAdj(), base.selinuxLabel());
    }

    // ---- process parts

    /** Entrypoint then Cmd; an Entrypoint of [""] means "none" (Docker resets it at create). */
    static List<String> commandOf(ContainerConfig cfg) {
        List<String> entry = cfg.entrypoint();
        if (entry != null && entry.size() == 1 && entry.get(0).isEmpty()) {
            entry = null;
        }
        List<String> args = new ArrayList<>();
        if (entry != null) {
            args.addAll(entry);
        }
        if (cfg.cmd() != null) {
            args.addAll(cfg.cmd());
        }
        if (args.isEmpty()) {
            throw EngineException.invalid("no command specified");
        }
        return List.copyOf(args);
    }

    /** Docker lists the primary group first among the additional ones, then the user's groups, then group-add. */
    private static Process.User processUser(UserResolver.ResolvedUser u, List<Long> extraGroups) {
        List<Long> gids = new ArrayList<>();
        gids.add(u.gid());
        gids.addAll(u.supplementaryGids());
        gids.addAll(extraGroups);
        return new Process.User(u.uid(), u.gid(), null, List.copyOf(gids), null);
    }

    private static Process.Box consoleSize(List<Integer> size) {
        if (size == null || size.size() < 2) {
            return null;
        }
        int h = size.get(0) == null ? 0 : size.get(0);
        int w = size.get(1) == null ? 0 : size.get(1);
        return h > 0 || w > 0 ? new Process.Box(h, w) : null;
    }

    /** The container's ulimits, then the daemon's defaults for the names it did not set. */
    private List<Process.Rlimit> rlimits(List<HostConfig.Ulimit> ulimits) {
        List<Process.Rlimit> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (ulimits != null) {
            for (HostConfig.Ulimit u : ulimits) {
                out.add(rlimit(u));
                names.add(u.name());
            }
        }
        for (HostConfig.Ulimit u : daemon.ulimits()) {
            if (!names.contains(u.name())) {
                out.add(rlimit(u));
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** RLIMIT_&lt;NAME&gt;; -1 is RLIM_INFINITY (Docker writes it as the unsigned 18446744073709551615). */
    private static Process.Rlimit rlimit(HostConfig.Ulimit u) {
        return new Process.Rlimit("RLIMIT_" + u.name().toUpperCase(Locale.ROOT), u.hard(), u.soft());
    }

    private String appArmorProfile(SecurityOptions security, boolean privileged) {
        if (!facts.appArmor()) {
            return null;
        }
        if (security.appArmorProfile() != null && !security.appArmorProfile().isEmpty()) {
            return security.appArmorProfile();
        }
        // Docker would load and name "docker-default" here; Keel ships no AppArmor profile (see class comment)
        return privileged ? "unconfined" : null;
    }

    private static void createWorkingDir(Path rootfs, String workingDir) throws IOException {
        try {
            // new directories are owned by the (unmapped) root, as Docker's MkdirAllAndChown with RootPair()
            new RootfsFiles(rootfs).mkdirs(workingDir, 0, 0);
        } catch (NotDirectoryException e) {
            throw EngineException.system("Cannot mkdir: " + workingDir + " is not a directory", e);
        }
    }

    // ---- linux parts

    private List<Linux.Namespace> namespaces(SpecRequest req, ContainerConfig cfg, HostConfig hc, String ipcMode,
            boolean privileged, JoinedNamespaces joined) {
        List<Linux.Namespace> ns = new ArrayList<>();
        ns.add(new Linux.Namespace("mount", null));
        if (Boolean.TRUE.equals(cfg.networkDisabled()) || req.network() == null) {
            ns.add(new Linux.Namespace("network", null));
        } else if (!req.network().isHost()) {
            Path p = req.network().path();
            ns.add(new Linux.Namespace("network", p == null ? null : p.toString()));
        }
        if (!NamespaceModes.validUts(hc.utsMode())) {
            throw EngineException.invalid("invalid UTS mode: " + hc.utsMode());
        }
        if (!NamespaceModes.isHost(hc.utsMode())) {
            ns.add(new Linux.Namespace("uts", null));
        }
        if (!NamespaceModes.validPid(hc.pidMode())) {
            throw EngineException.invalid("invalid PID mode: " + hc.pidMode());
        }
        if (NamespaceModes.isContainer(hc.pidMode())) {
            if (joined.pid() == null) {
                throw EngineException.system("failed to join PID namespace: container "
                        + NamespaceModes.containerOf(hc.pidMode()) + " is not running", null);
            }
            ns.add(new Linux.Namespace("pid", joined.pid().toString()));
        } else if (!NamespaceModes.isHost(hc.pidMode())) {
            ns.add(new Linux.Namespace("pid", null));
        }
        if (!NamespaceModes.validIpc(ipcMode)) {
            throw EngineException.invalid("invalid IPC mode: " + ipcMode);
        }
        if (NamespaceModes.isContainer(ipcMode)) {
            if (joined.ipc() == null) {
                throw EngineException.system("failed to join IPC namespace: container "
                        + NamespaceModes.containerOf(ipcMode) + " is not running", null);
            }
            ns.add(new Linux.Namespace("ipc", joined.ipc().toString()));
        } else if (!NamespaceModes.isHost(ipcMode)) {
            ns.add(new Linux.Namespace("ipc", null));
        }
        String cgroupns = NamespaceModes.cgroupns(hc.cgroupnsMode(), privileged, daemon, facts.cgroupVersion());
        if (!NamespaceModes.validCgroupns(cgroupns)) {
            throw EngineException.invalid("invalid cgroup namespace mode: " + cgroupns);
        }
        if (cgroupns.equals("private")) {
            ns.add(new Linux.Namespace("cgroup", null));
        }
        return List.copyOf(ns);
    }

    private List<String> maskedDefaults() {
        List<String> out = new ArrayList<>(DEFAULT_MASKED_PATHS);
        out.addAll(facts.thermalThrottlePaths());
        return out;
    }

    /** The user's list when given (even for privileged), else Docker's defaults unless privileged. */
    private static List<String> paths(List<String> given, boolean privileged, List<String> defaults) {
        List<String> out = given != null ? given : privileged ? null : defaults;
        return out == null || out.isEmpty() ? null : List.copyOf(out);
    }

    /**
     * Memory as Docker sets it: MemorySwap 0 with a limit means twice the limit; -1 means unlimited swap (left
     * out); swappiness -1 means unset. OomKillDisable is always written (false by default). cgroup v2 has no
     * swappiness and no OOM-killer switch: Docker drops both there (with a warning at create).
     */
    private Linux.Memory memory(HostConfig hc) {
        long mem = hc.memory() == null ? 0 : hc.memory();
        long swap = hc.memorySwap() == null ? 0 : hc.memorySwap();
        if (mem > 0 && swap == 0) {
            swap = mem * 2;
        }
        if (mem > 0 && swap != -1 && !facts.swapLimit()) {
            swap = -1;
        }
        Long swappiness = hc.memorySwappiness();
        if (swappiness != null && (swappiness == -1 || facts.cgroupVersion() == 2)) {
            swappiness = null;
        }
        boolean oomKillDisable = Boolean.TRUE.equals(hc.oomKillDisable()) && facts.cgroupVersion() != 2;
        long reservation = hc.memoryReservation() == null ? 0 : hc.memoryReservation();
        return new Linux.Memory(mem > 0 ? mem : null, reservation > 0 ? reservation : null, swap > 0 ? swap : null,
                swappiness, oomKillDisable);
    }

    private static Linux.Cpu cpu(HostConfig hc) {
        Long shares = null;
        long s = hc.cpuShares() == null ? 0 : hc.cpuShares();
        if (s != 0) {
            if (s < 0) {
                throw EngineException.invalid("invalid CPU shares (" + s + "): value must be a positive integer");
            }
            shares = s;
        }
        String cpus = hc.cpusetCpus() == null || hc.cpusetCpus().isEmpty() ? null : hc.cpusetCpus();
        String mems = hc.cpusetMems() == null || hc.cpusetMems().isEmpty() ? null : hc.cpusetMems();
        Long period = null;
        Long quota = null;
        long nano = hc.nanoCpus() == null ? 0 : hc.nanoCpus();
        if (nano > 0) {
            period = CPU_PERIOD_US;
            quota = nano * CPU_PERIOD_US / 1_000_000_000L;
        }
        if (hc.cpuPeriod() != null && hc.cpuPeriod() != 0) {
            period = hc.cpuPeriod();
        }
        if (hc.cpuQuota() != null && hc.cpuQuota() != 0) {
            quota = hc.cpuQuota();
        }
        if (shares == null && cpus == null && mems == null && period == null && quota == null) {
            return null;
        }
        return new Linux.Cpu(shares, quota, period, cpus, mems);
    }

    /** 0 or negative: unlimited, written as -1 (runc needs -1 to lift a limit). */
    private static Linux.Pids pids(HostConfig hc) {
        if (hc.pidsLimit() == null) {
            return null;
        }
        return new Linux.Pids(hc.pidsLimit() <= 0 ? -1 : hc.pidsLimit());
    }

    /**
     * --device nodes and their cgroup rules; privileged containers get every host device and a rule allowing all
     * (their own --device entries add nodes only, and only when the path differs).
     */
    private void deviceSetup(HostConfig hc, boolean privileged, List<Linux.Device> devs,
            List<Linux.DeviceRule> rules) throws IOException {
        List<HostConfig.DeviceMapping> mappings = hc.devices() == null ? List.of() : hc.devices();
        if (privileged) {
            devs.addAll(devices.hostDevices());
            for (HostConfig.DeviceMapping d : mappings) {
                String host = d.pathOnHost();
                String ctr = d.pathInContainer() == null || d.pathInContainer().isEmpty() ? host
                        : d.pathInContainer();
                if (host.equals(ctr)) {
                    continue;
                }
                devicesFromPath(host, ctr, "rwm", devs, new ArrayList<>());
            }
            rules.clear();
            rules.add(new Linux.DeviceRule(true, null, null, null, "rwm"));
            return;
        }
        for (HostConfig.DeviceMapping d : mappings) {
            String host = d.pathOnHost();
            String ctr = d.pathInContainer() == null || d.pathInContainer().isEmpty() ? host : d.pathInContainer();
            String perms = d.cgroupPermissions() == null || d.cgroupPermissions().isEmpty() ? "rwm"
                    : d.cgroupPermissions();
            devicesFromPath(host, ctr, perms, devs, rules);
        }
    }

    /** Docker's DevicesFromPath: a device node, or every device below a directory, its path moved to ctrPath. */
    private void devicesFromPath(String hostPath, String ctrPath, String perms, List<Linux.Device> devs,
            List<Linux.DeviceRule> rules) throws IOException {
        Path host = Path.of(hostPath);
        if (Files.isSymbolicLink(host)) {
            try {
                host = host.toRealPath();
            } catch (IOException e) {
                // Docker keeps the unresolved path when the link dangles
            }
        }
        Linux.Device d;
        try {
            d = devices.lookup(host);
        } catch (NoSuchFileException e) {
            throw EngineException.invalid("error gathering device information while adding custom device "
                    + GoQuoted.of(hostPath) + ": lstat " + host + ": no such file or directory");
        }
        if (d != null) {
            add(d, ctrPath, perms, devs, rules);
            return;
        }
        int before = devs.size();
        if (Files.isDirectory(host)) {
            String prefix = host.toString();
            List<Path> tree;
            try (Stream<Path> s = Files.walk(host)) {
                tree = s.sorted().toList();
            }
            for (Path p : tree) {
                Linux.Device child;
                try {
                    child = devices.lookup(p);
                } catch (IOException e) {
                    continue;
                }
                if (child != null) {
                    add(child, p.toString().replaceFirst(java.util.regex.Pattern.quote(prefix),
                            java.util.regex.Matcher.quoteReplacement(ctrPath)), perms, devs, rules);
                }
            }
        }
        if (devs.size() == before) {
            throw EngineException.invalid("error gathering device information while adding custom device "
                    + GoQuoted.of(hostPath) + ": not a device node");
        }
    }

    private static void add(Linux.Device d, String ctrPath, String perms, List<Linux.Device> devs,
            List<Linux.DeviceRule> rules) {
        devs.add(new Linux.Device(d.type(), ctrPath, d.major(), d.minor(), d.fileMode(), d.uid(), d.gid()));
        rules.add(new Linux.DeviceRule(true, d.type(), d.major(), d.minor(), perms));
    }
}
