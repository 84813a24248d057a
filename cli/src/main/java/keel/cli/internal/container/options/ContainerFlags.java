package keel.cli.internal.container.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import keel.cli.internal.format.GoDuration;
import keel.cli.internal.format.GoQuote;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flags {@code run} and {@code create} share (docker's containerOptions). Values docker checks while parsing
 * flags are checked here, in the setters, so a bad one fails with pflag's message ({@code invalid argument "xyz"
 * for "-m, --memory" flag: invalid size: 'xyz'}, exit 125) before anything else; the rest is checked when the
 * request is built ({@link CreateRequestBuilder}), in docker's order.
 */
public final class ContainerFlags {

    private static final Pattern DEVICE_CGROUP_RULE = Pattern.compile("^[acb] ([0-9]+|\\*):([0-9]+|\\*) [rwm]{1,3}$");
    private static final Pattern ALPHA = Pattern.compile("[a-zA-Z]");
    private static final Pattern DOMAIN = Pattern.compile("^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\\-]*"
            + "[a-zA-Z0-9]))(:?\\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\\-]*[a-zA-Z0-9])))*)\\.?\\s*$");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    // ----- create options (docker keeps these apart from containerOptions; both commands have them)

    @Option(names = "--name", paramLabel = "string", description = "Assign a name to the container")
    public String name = "";

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    public String platform = "";

    @Option(names = "--pull", paramLabel = "string", defaultValue = "missing",
            description = "Pull image before running (\"always\", \"missing\", \"never\")")
    public String pull = "missing";

    @Option(names = {"-q", "--quiet"}, arity = "0..1", fallbackValue = "true", description = "Suppress the pull output")
    public boolean quiet;

    // ----- general purpose

    final List<String> attach = new ArrayList<>();
    final List<String> devices = new ArrayList<>();
    final List<String> deviceCgroupRules = new ArrayList<>();
    final List<String> env = new ArrayList<>();

    @Option(names = {"-a", "--attach"}, paramLabel = "list", description = "Attach to STDIN, STDOUT or STDERR")
    void attach(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (!s.equals("stdin") && !s.equals("stdout") && !s.equals("stderr")) {
            throw invalid("-a, --attach", v, "valid streams are STDIN, STDOUT and STDERR");
        }
        attach.add(s);
    }

    @Option(names = "--device", paramLabel = "list", description = "Add a host device to the container")
    void device(String v) {
        devices.add(v);
    }

    @Option(names = "--device-cgroup-rule", paramLabel = "list",
            description = "Add a rule to the cgroup allowed devices list")
    void deviceCgroupRule(String v) {
        if (!DEVICE_CGROUP_RULE.matcher(v).matches()) {
            throw invalid("--device-cgroup-rule", v, "invalid device cgroup format '" + v + "'");
        }
        deviceCgroupRules.add(v);
    }

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    void env(String v) {
        int eq = v.indexOf('=');
        if ((eq < 0 ? v : v.substring(0, eq)).isEmpty()) {
            throw invalid("-e, --env", v, "invalid environment variable: " + v);
        }
        env.add(v); // a bare KEY takes the local value when the request is built
    }

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<String> envFiles = new ArrayList<>();

    String entrypoint; // null: not given; "" given empty (resets the image's)

    @Option(names = "--entrypoint", paramLabel = "string", description = "Overwrite the default ENTRYPOINT of the image")
    void entrypoint(String v) {
        entrypoint = v;
    }

    @Option(names = "--group-add", paramLabel = "list", description = "Add additional groups to join")
    List<String> groupAdd = new ArrayList<>();

    @Option(names = {"-h", "--hostname"}, paramLabel = "string", description = "Container host name")
    String hostname = "";

    @Option(names = "--domainname", paramLabel = "string", description = "Container NIS domain name")
    String domainname = "";

    @Option(names = {"-i", "--interactive"}, arity = "0..1", fallbackValue = "true",
            description = "Keep STDIN open even if not attached")
    public boolean interactive;

    final List<String> labels = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Set meta data on a container")
    void label(String v) {
        int eq = v.indexOf('=');
        String key = (eq < 0 ? v : v.substring(0, eq)).replaceFirst("^[ \t]+", "");
        if (key.isEmpty()) {
            throw invalid("-l, --label", v, "invalid label '" + v + "': empty name");
        }
        if (key.indexOf(' ') >= 0 || key.indexOf('\t') >= 0) {
            throw invalid("-l, --label", v, "label '" + key + "' contains whitespaces");
        }
        labels.add(v);
    }

    @Option(names = "--label-file", paramLabel = "list", description = "Read in a line delimited file of labels")
    List<String> labelFiles = new ArrayList<>();

    @Option(names = "--read-only", arity = "0..1", fallbackValue = "true",
            description = "Mount the container's root filesystem as read only")
    boolean readOnly;

    @Option(names = "--restart", paramLabel = "string", defaultValue = "no",
            description = "Restart policy to apply when a container exits")
    String restart = "no";

    @Option(names = "--stop-signal", paramLabel = "string", description = "Signal to stop the container")
    String stopSignal = "";

    Long stopTimeout;

    @Option(names = "--stop-timeout", paramLabel = "int", description = "Timeout (in seconds) to stop a container")
    void stopTimeout(String v) {
        stopTimeout = integer("--stop-timeout", v);
    }

    final Map<String, String> sysctls = new TreeMap<>();

    @Option(names = "--sysctl", paramLabel = "map", description = "Sysctl options")
    void sysctl(String v) {
        int eq = v.indexOf('=');
        String k = eq < 0 ? "" : v.substring(0, eq);
        boolean ok = !k.isEmpty() && (k.startsWith("net.") || k.startsWith("fs.mqueue.") || List.of("kernel.msgmax",
                "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni",
                "kernel.shm_rmid_forced").contains(k));
        if (!ok) {
            throw invalid("--sysctl", v, "sysctl '" + v + "' is not allowed");
        }
        sysctls.put(k, v.substring(eq + 1));
    }

    @Option(names = {"-t", "--tty"}, arity = "0..1", fallbackValue = "true", description = "Allocate a pseudo-TTY")
    public boolean tty;

    final Map<String, UlimitValue> ulimits = new TreeMap<>();

    @Option(names = "--ulimit", paramLabel = "ulimit", description = "Ulimit options")
    void ulimit(String v) {
        try {
            UlimitValue u = UlimitValue.parse(v);
            ulimits.put(u.name(), u);
        } catch (BadValue e) {
            throw invalid("--ulimit", v, e.getMessage());
        }
    }

    @Option(names = {"-u", "--user"}, paramLabel = "string",
            description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user = "";

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir = "";

    @Option(names = "--rm", arity = "0..1", fallbackValue = "true",
            description = "Automatically remove the container and its associated anonymous volumes when it exits")
    public boolean autoRemove;

    // ----- security

    @Option(names = "--cap-add", paramLabel = "list", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "list", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--privileged", arity = "0..1", fallbackValue = "true",
            description = "Give extended privileges to this container")
    boolean privileged;

    @Option(names = "--security-opt", paramLabel = "list", description = "Security Options")
    List<String> securityOpt = new ArrayList<>();

    @Option(names = "--userns", paramLabel = "string", description = "User namespace to use")
    String userns = "";

    @Option(names = "--cgroupns", paramLabel = "string", description = "Cgroup namespace to use (host|private)\n"
            + "'host':    Run the container in the Docker host's cgroup namespace\n"
            + "'private': Run the container in its own private cgroup namespace\n"
            + "'':        Use the cgroup namespace as configured by the\n"
            + "           default-cgroupns-mode option on the daemon (default)")
    String cgroupns = "";

    // ----- network and ports (parsed and passed; the daemon's networking decides)

    final List<String> extraHosts = new ArrayList<>();
    final List<String> dns = new ArrayList<>();
    final List<String> dnsSearch = new ArrayList<>();
    final List<String> links = new ArrayList<>();
    final List<NetworkAttachment> networks = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "list", description = "Add a custom host-to-IP mapping (host:ip)")
    void addHost(String v) {
        int sep = v.indexOf('=');
        if (sep < 0) {
            sep = v.indexOf(':');
        }
        String k = sep < 0 ? "" : v.substring(0, sep);
        String ip = sep < 0 ? "" : v.substring(sep + 1);
        if (sep < 0 || k.isEmpty() || k.contains(":")) {
            throw invalid("--add-host", v, "bad format for add-host: " + GoQuote.quote(v));
        }
        if (!ip.equals("host-gateway")) {
            if (ip.length() > 2 && ip.startsWith("[") && ip.endsWith("]")) {
                ip = ip.substring(1, ip.length() - 1);
            }
            if (IpAddress.normalize(ip.trim()) == null) {
                throw invalid("--add-host", v, "invalid IP address in add-host: " + GoQuote.quote(ip));
            }
        }
        extraHosts.add(k + ":" + ip);
    }

    @Option(names = "--dns", paramLabel = "list", description = "Set custom DNS servers")
    void dns(String v) {
        String ip = IpAddress.normalize(v.trim());
        if (ip == null) {
            throw invalid("--dns", v, "IP address is not correctly formatted: " + v);
        }
        dns.add(ip);
    }

    @Option(names = {"--dns-option", "--dns-opt"}, paramLabel = "list", description = "Set DNS options")
    List<String> dnsOptions = new ArrayList<>();

    @Option(names = "--dns-search", paramLabel = "list", description = "Set custom DNS search domains")
    void dnsSearch(String v) {
        String d = v.replaceAll("^ +| +$", "");
        if (!d.equals(".")) {
            java.util.regex.Matcher m = DOMAIN.matcher(d);
            if (!ALPHA.matcher(d).find() || !m.find() || m.group(1).length() >= 255) {
                throw invalid("--dns-search", v, d + " is not a valid domain");
            }
            d = m.group(1);
        }
        dnsSearch.add(d);
    }

    @Option(names = "--expose", paramLabel = "list", description = "Expose a port or a range of ports")
    List<String> expose = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., 172.30.100.104)")
    String ipv4 = "";

    @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., 2001:db8::33)")
    String ipv6 = "";

    @Option(names = "--link", paramLabel = "list", description = "Add link to another container")
    void link(String v) {
        if (v.isEmpty()) {
            throw invalid("--link", v, "empty string specified for links");
        }
        if (v.split(":", -1).length > 2) {
            throw invalid("--link", v, "bad format for links: " + v);
        }
        links.add(v);
    }

    @Option(names = "--link-local-ip", paramLabel = "list", description = "Container IPv4/IPv6 link-local addresses")
    List<String> linkLocalIps = new ArrayList<>();

    @Option(names = "--mac-address", paramLabel = "string", description = "Container MAC address (e.g., 92:d0:c6:0a:29:33)")
    String macAddress = "";

    @Option(names = {"-p", "--publish"}, paramLabel = "list", description = "Publish a container's port(s) to the host")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, arity = "0..1", fallbackValue = "true",
            description = "Publish all exposed ports to random ports")
    boolean publishAll;

    @Option(names = {"--network", "--net"}, paramLabel = "network", description = "Connect a container to a network")
    void network(String v) {
        try {
            networks.add(NetworkAttachment.parse(v));
        } catch (BadValue e) {
            throw invalid("--network", v, e.getMessage());
        }
    }

    @Option(names = {"--network-alias", "--net-alias"}, paramLabel = "list",
            description = "Add network-scoped alias for the container")
    List<String> aliases = new ArrayList<>();

    // ----- logging and storage

    @Option(names = "--log-driver", paramLabel = "string", description = "Logging driver for the container")
    String logDriver = "";

    @Option(names = "--volume-driver", paramLabel = "string", description = "Optional volume driver for the container")
    String volumeDriver = "";

    @Option(names = "--log-opt", paramLabel = "list", description = "Log driver options")
    List<String> logOpts = new ArrayList<>();

    @Option(names = "--storage-opt", paramLabel = "list", description = "Storage driver options for the container")
    List<String> storageOpts = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "list", description = "Mount a tmpfs directory")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--volumes-from", paramLabel = "list", description = "Mount volumes from the specified container(s)")
    List<String> volumesFrom = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "list", description = "Bind mount a volume")
    List<String> volumes = new ArrayList<>();

    final List<Map<String, Object>> mounts = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "mount", description = "Attach a filesystem mount to the container")
    void mount(String v) {
        try {
            mounts.add(MountValue.parse(v));
        } catch (BadValue e) {
            throw invalid("--mount", v, e.getMessage());
        }
    }

    // ----- health checking

    @Option(names = "--health-cmd", paramLabel = "string", description = "Command to run to check health")
    String healthCmd = "";

    long healthInterval;
    long healthTimeout;
    long healthStartPeriod;
    long healthStartInterval;
    long healthRetries;

    @Option(names = "--health-interval", paramLabel = "duration",
            description = "Time between running the check (ms|s|m|h) (default 0s)")
    void healthInterval(String v) {
        healthInterval = duration("--health-interval", v);
    }

    @Option(names = "--health-retries", paramLabel = "int",
            description = "Consecutive failures needed to report unhealthy")
    void healthRetries(String v) {
        healthRetries = integer("--health-retries", v);
    }

    @Option(names = "--health-timeout", paramLabel = "duration",
            description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)")
    void healthTimeout(String v) {
        healthTimeout = duration("--health-timeout", v);
    }

    @Option(names = "--health-start-period", paramLabel = "duration", description = "Start period for the container "
            + "to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)")
    void healthStartPeriod(String v) {
        healthStartPeriod = duration("--health-start-period", v);
    }

    @Option(names = "--health-start-interval", paramLabel = "duration",
            description = "Time between running the check during the start period (ms|s|m|h) (default 0s)")
    void healthStartInterval(String v) {
        healthStartInterval = duration("--health-start-interval", v);
    }

    @Option(names = "--no-healthcheck", arity = "0..1", fallbackValue = "true",
            description = "Disable any container-specified HEALTHCHECK")
    boolean noHealthcheck;

    // ----- resources

    @Option(names = "--blkio-weight", paramLabel = "uint16",
            description = "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)")
    void blkioWeight(String v) {
        try {
            blkioWeight = GoNumbers.parseUint(v, 0, 16);
        } catch (BadValue e) {
            throw invalid("--blkio-weight", v, e.getMessage());
        }
    }

    long blkioWeight;

    @Option(names = "--cidfile", paramLabel = "string", description = "Write the container ID to the file")
    String cidfile = "";

    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus = "";

    @Option(names = "--cpuset-mems", paramLabel = "string", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems = "";

    long cpuPeriod;
    long cpuQuota;
    long cpuRtPeriod;
    long cpuRtRuntime;
    long cpuShares;
    long nanoCpus;

    @Option(names = "--cpu-period", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    void cpuPeriod(String v) {
        cpuPeriod = integer("--cpu-period", v);
    }

    @Option(names = "--cpu-quota", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    void cpuQuota(String v) {
        cpuQuota = integer("--cpu-quota", v);
    }

    @Option(names = "--cpu-rt-period", paramLabel = "int", description = "Limit CPU real-time period in microseconds")
    void cpuRtPeriod(String v) {
        cpuRtPeriod = integer("--cpu-rt-period", v);
    }

    @Option(names = "--cpu-rt-runtime", paramLabel = "int", description = "Limit CPU real-time runtime in microseconds")
    void cpuRtRuntime(String v) {
        cpuRtRuntime = integer("--cpu-rt-runtime", v);
    }

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    void cpuShares(String v) {
        cpuShares = integer("-c, --cpu-shares", v);
    }

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs")
    void cpus(String v) {
        try {
            nanoCpus = CpuQuantity.nanoCpus(v);
        } catch (BadValue e) {
            throw invalid("--cpus", v, e.getMessage());
        }
    }

    long kernelMemory;
    long memory;
    long memoryReservation;
    long memorySwap;
    long memorySwappiness = -1;
    long shmSize;

    @Option(names = "--kernel-memory", paramLabel = "bytes", description = "Kernel memory limit")
    void kernelMemory(String v) {
        kernelMemory = bytes("--kernel-memory", v);
    }

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    void memory(String v) {
        memory = bytes("-m, --memory", v);
    }

    @Option(names = "--memory-reservation", paramLabel = "bytes", description = "Memory soft limit")
    void memoryReservation(String v) {
        memoryReservation = bytes("--memory-reservation", v);
    }

    @Option(names = "--memory-swap", paramLabel = "bytes",
            description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    void memorySwap(String v) {
        memorySwap = v.equals("-1") ? -1 : bytes("--memory-swap", v);
    }

    @Option(names = "--memory-swappiness", paramLabel = "int", defaultValue = "-1",
            description = "Tune container memory swappiness (0 to 100)")
    void memorySwappiness(String v) {
        memorySwappiness = integer("--memory-swappiness", v);
    }

    @Option(names = "--oom-kill-disable", arity = "0..1", fallbackValue = "true", description = "Disable OOM Killer")
    boolean oomKillDisable;

    long oomScoreAdj;
    long pidsLimit;

    @Option(names = "--oom-score-adj", paramLabel = "int", description = "Tune host's OOM preferences (-1000 to 1000)")
    void oomScoreAdj(String v) {
        oomScoreAdj = integer("--oom-score-adj", v);
    }

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    void pidsLimit(String v) {
        pidsLimit = integer("--pids-limit", v);
    }

    // ----- low-level execution

    @Option(names = "--cgroup-parent", paramLabel = "string", description = "Optional parent cgroup for the container")
    String cgroupParent = "";

    @Option(names = "--ipc", paramLabel = "string", description = "IPC mode to use")
    String ipc = "";

    @Option(names = "--isolation", paramLabel = "string", description = "Container isolation technology")
    String isolation = "";

    @Option(names = "--pid", paramLabel = "string", description = "PID namespace to use")
    String pid = "";

    @Option(names = "--shm-size", paramLabel = "bytes", description = "Size of /dev/shm")
    void shmSize(String v) {
        shmSize = bytes("--shm-size", v);
    }

    @Option(names = "--uts", paramLabel = "string", description = "UTS namespace to use")
    String uts = "";

    @Option(names = "--runtime", paramLabel = "string", description = "Runtime to use for this container")
    String runtime = "";

    @Option(names = "--init", arity = "0..1", fallbackValue = "true",
            description = "Run an init inside the container that forwards signals and reaps processes")
    Boolean init; // null: not given, so the daemon's default applies

    final Map<String, String> annotations = new TreeMap<>();

    @Option(names = "--annotation", paramLabel = "map",
            description = "Add an annotation to the container (passed through to the OCI runtime)")
    void annotation(String v) {
        int eq = v.indexOf('=');
        annotations.put(eq < 0 ? v : v.substring(0, eq), eq < 0 ? "" : v.substring(eq + 1));
    }

    /** Whether -a named this stream. */
    public boolean attaches(String stream) {
        return attach.contains(stream);
    }

    public boolean attachGiven() {
        return !attach.isEmpty();
    }

    // ----- pflag's errors

    private ParameterException invalid(String flag, String value, String message) {
        return new ParameterException(spec.commandLine(), "invalid argument " + GoQuote.quote(value) + " for "
                + GoQuote.quote(flag) + " flag: " + message);
    }

    private long integer(String flag, String v) {
        try {
            return GoNumbers.parseInt(v, 0, 64);
        } catch (BadValue e) {
            throw invalid(flag, v, e.getMessage());
        }
    }

    private long bytes(String flag, String v) {
        try {
            return RamSize.inBytes(v);
        } catch (BadValue e) {
            throw invalid(flag, v, e.getMessage());
        }
    }

    private long duration(String flag, String v) {
        try {
            return GoDuration.parseNanos(v);
        } catch (IllegalArgumentException e) {
            throw invalid(flag, v, e.getMessage());
        }
    }
}
