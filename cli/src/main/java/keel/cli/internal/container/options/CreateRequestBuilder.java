package keel.cli.internal.container.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import keel.cli.internal.json.JsonIndenter;
import keel.cli.internal.json.JsonReader;

/**
 * Turns {@link ContainerFlags} into the body of {@code POST /containers/create}, the way docker's parse() and its
 * API client do: the same checks in the same order with the same messages, and the same JSON (Config, HostConfig
 * and NetworkingConfig with every field docker's structs marshal, zero values included, omitempty fields left
 * out, map keys sorted), so the daemon cannot tell keel from docker.
 */
public final class CreateRequestBuilder {

    private final ContainerFlags f;
    private final Function<String, String> localEnv;

    /** {@code localEnv} looks up the CLI's own environment (for -e KEY and bare keys in --env-file). */
    public CreateRequestBuilder(ContainerFlags flags, Function<String, String> localEnv) {
        this.f = flags;
        this.localEnv = localEnv;
    }

    /** The parsed request: the body's three parts (mutable, run adjusts the attach fields when detached). */
    public static final class Request {
        public final Map<String, Object> config;
        public final Map<String, Object> hostConfig;
        public final Map<String, Object> networkingConfig;

        Request(Map<String, Object> config, Map<String, Object> hostConfig, Map<String, Object> networkingConfig) {
            this.config = config;
            this.hostConfig = hostConfig;
            this.networkingConfig = networkingConfig;
        }

        public boolean flag(String key) {
            return Boolean.TRUE.equals(config.get(key));
        }

        /** container.CreateRequest: the Config fields inline, then HostConfig and NetworkingConfig. */
        public Map<String, Object> body() {
            Map<String, Object> b = new LinkedHashMap<>(config);
            b.put("HostConfig", hostConfig);
            b.put("NetworkingConfig", networkingConfig);
            return b;
        }
    }

    public Request build(String image, List<String> args, int consoleHeight, int consoleWidth) throws BadValue {
        boolean attachStdin = f.attaches("stdin");
        boolean attachStdout = f.attaches("stdout");
        boolean attachStderr = f.attaches("stderr");
        if (!f.macAddress.isEmpty() && !validMac(f.macAddress)) {
            throw new BadValue(f.macAddress + " is not a valid mac address");
        }
        if (f.interactive) {
            attachStdin = true;
        }
        if (!f.attachGiven()) {
            attachStdout = true;
            attachStderr = true;
        }
        long swappiness = f.memorySwappiness;
        if (swappiness != -1 && (swappiness < 0 || swappiness > 100)) {
            throw new BadValue("invalid value: " + swappiness + ". Valid memory swappiness range is 0-100");
        }

        // -v: sources make binds (relative "." paths made absolute), the rest anonymous volumes; duplicates once.
        List<String> binds = null;
        Map<String, Object> volumes = new TreeMap<>();
        for (String v : new LinkedHashSet<>(f.volumes)) {
            VolumeSpec parsed = VolumeSpec.parse(v);
            if (!parsed.source().isEmpty()) {
                String toBind = v;
                if (parsed.bind()) {
                    int colon = v.indexOf(':');
                    if (colon >= 0) {
                        String host = v.substring(0, colon);
                        if (!host.startsWith("/") && host.startsWith(".")) {
                            host = Path.of(host).toAbsolutePath().normalize().toString();
                        }
                        toBind = host + v.substring(colon);
                    }
                }
                if (binds == null) {
                    binds = new ArrayList<>();
                }
                binds.add(toBind);
            } else {
                volumes.put(v, new LinkedHashMap<>());
            }
        }

        Map<String, String> tmpfs = new TreeMap<>();
        for (String t : f.tmpfs) {
            int colon = t.indexOf(':');
            tmpfs.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }

        List<String> cmd = args.isEmpty() ? null : args;
        List<String> entrypoint = null;
        if (f.entrypoint != null) {
            entrypoint = List.of(f.entrypoint); // "--entrypoint=" resets the image's to [""]
        }

        PortSpecs ports = PortSpecs.parse(f.publish, f.expose);

        List<Map<String, Object>> devices = new ArrayList<>();
        for (String d : f.devices) {
            devices.add(DeviceValue.parse(d));
        }

        List<String> env = readKeyValues(f.envFiles, resolveEnv(f.env), localEnv);
        List<String> labels = readKeyValues(f.labelFiles, f.labels, null);

        if (!(f.pid.isEmpty() || f.pid.equals("host") || containerMode(f.pid))) {
            throw new BadValue("--pid: invalid PID mode");
        }
        if (!(f.uts.isEmpty() || f.uts.equals("host"))) {
            throw new BadValue("--uts: invalid UTS mode");
        }
        if (!(f.userns.isEmpty() || f.userns.equals("host"))) {
            throw new BadValue("--userns: invalid USER mode");
        }
        if (!(f.cgroupns.isEmpty() || f.cgroupns.equals("host") || f.cgroupns.equals("private"))) {
            throw new BadValue("--cgroupns: invalid CGROUP mode");
        }

        Map<String, Object> restart = restartPolicy(f.restart);

        Map<String, String> logConfig = keyValueMap(f.logOpts);
        if (f.logDriver.equals("none") && !f.logOpts.isEmpty()) {
            throw new BadValue("invalid logging opts for driver none");
        }

        List<String> securityOpts = securityOpts(f.securityOpt);
        List<String> maskedPaths = null;
        List<String> readonlyPaths = null;
        if (securityOpts != null && securityOpts.remove("systempaths=unconfined")) {
            // handled by the client, as docker does: empty lists lift the daemon's defaults
            maskedPaths = List.of();
            readonlyPaths = List.of();
            while (securityOpts.remove("systempaths=unconfined")) {
                // drop repeats too
            }
        }

        Map<String, String> storageOpts = new TreeMap<>();
        for (String o : f.storageOpts) {
            int eq = o.indexOf('=');
            if (eq < 0) {
                throw new BadValue("invalid storage option");
            }
            storageOpts.put(o.substring(0, eq), o.substring(eq + 1));
        }

        Map<String, Object> health = healthcheck();

        // ----- Config, in container.Config's field order
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Hostname", f.hostname);
        config.put("Domainname", f.domainname);
        config.put("User", f.user);
        config.put("AttachStdin", attachStdin);
        config.put("AttachStdout", attachStdout);
        config.put("AttachStderr", attachStderr);
        if (!ports.exposedPorts().isEmpty()) {
            config.put("ExposedPorts", ports.exposedPorts());
        }
        config.put("Tty", f.tty);
        config.put("OpenStdin", f.interactive);
        // When stdin is attached and kept open, close it when the client disconnects (docker's StdinOnce).
        config.put("StdinOnce", f.interactive && attachStdin);
        config.put("Env", env);
        config.put("Cmd", cmd);
        if (health != null) {
            config.put("Healthcheck", health);
        }
        config.put("Image", image);
        config.put("Volumes", volumes);
        config.put("WorkingDir", f.workdir);
        config.put("Entrypoint", entrypoint);
        config.put("OnBuild", null);
        config.put("Labels", keyValueMap(labels));
        if (!f.stopSignal.isEmpty()) {
            config.put("StopSignal", f.stopSignal);
        }
        if (f.stopTimeout != null) {
            config.put("StopTimeout", f.stopTimeout);
        }

        // ----- HostConfig, in container.HostConfig's field order (Resources inline)
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("Binds", binds);
        host.put("ContainerIDFile", f.cidfile);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("Type", f.logDriver);
        log.put("Config", logConfig);
        host.put("LogConfig", log);
        String networkMode = f.networks.isEmpty() ? "default" : f.networks.get(0).target;
        host.put("NetworkMode", networkMode);
        host.put("PortBindings", ports.portBindings());
        host.put("RestartPolicy", restart);
        host.put("AutoRemove", f.autoRemove);
        host.put("VolumeDriver", f.volumeDriver);
        host.put("VolumesFrom", listOrNull(f.volumesFrom));
        host.put("ConsoleSize", List.of(consoleHeight, consoleWidth));
        if (!f.annotations.isEmpty()) {
            host.put("Annotations", new TreeMap<>(f.annotations));
        }
        host.put("CapAdd", normalizeCapabilities(f.capAdd));
        host.put("CapDrop", normalizeCapabilities(f.capDrop));
        host.put("CgroupnsMode", f.cgroupns);
        host.put("Dns", new ArrayList<>(f.dns));
        host.put("DnsOptions", new ArrayList<>(f.dnsOptions));
        host.put("DnsSearch", new ArrayList<>(f.dnsSearch));
        host.put("ExtraHosts", listOrNull(f.extraHosts));
        host.put("GroupAdd", listOrNull(f.groupAdd));
        host.put("IpcMode", f.ipc);
        host.put("Cgroup", "");
        host.put("Links", listOrNull(f.links));
        host.put("OomScoreAdj", f.oomScoreAdj);
        host.put("PidMode", f.pid);
        host.put("Privileged", f.privileged);
        host.put("PublishAllPorts", f.publishAll);
        host.put("ReadonlyRootfs", f.readOnly);
        host.put("SecurityOpt", securityOpts);
        if (!storageOpts.isEmpty()) {
            host.put("StorageOpt", storageOpts);
        }
        if (!tmpfs.isEmpty()) {
            host.put("Tmpfs", tmpfs);
        }
        host.put("UTSMode", f.uts);
        host.put("UsernsMode", f.userns);
        host.put("ShmSize", f.shmSize);
        if (!f.sysctls.isEmpty()) {
            host.put("Sysctls", new TreeMap<>(f.sysctls));
        }
        if (!f.runtime.isEmpty()) {
            host.put("Runtime", f.runtime);
        }
        host.put("Isolation", f.isolation);
        host.put("CpuShares", f.cpuShares);
        host.put("Memory", f.memory);
        host.put("NanoCpus", f.nanoCpus);
        host.put("CgroupParent", f.cgroupParent);
        host.put("BlkioWeight", f.blkioWeight);
        host.put("BlkioWeightDevice", List.of());
        host.put("BlkioDeviceReadBps", List.of());
        host.put("BlkioDeviceWriteBps", List.of());
        host.put("BlkioDeviceReadIOps", List.of());
        host.put("BlkioDeviceWriteIOps", List.of());
        host.put("CpuPeriod", f.cpuPeriod);
        host.put("CpuQuota", f.cpuQuota);
        host.put("CpuRealtimePeriod", f.cpuRtPeriod);
        host.put("CpuRealtimeRuntime", f.cpuRtRuntime);
        host.put("CpusetCpus", f.cpusetCpus);
        host.put("CpusetMems", f.cpusetMems);
        host.put("Devices", devices);
        host.put("DeviceCgroupRules", listOrNull(f.deviceCgroupRules));
        host.put("DeviceRequests", null);
        // KernelMemory is omitempty and docker's client zeroes it for API 1.42 and later: never sent.
        host.put("MemoryReservation", f.memoryReservation);
        host.put("MemorySwap", f.memorySwap);
        host.put("MemorySwappiness", f.memorySwappiness);
        host.put("OomKillDisable", f.oomKillDisable);
        host.put("PidsLimit", f.pidsLimit);
        List<Map<String, Object>> ulimits = new ArrayList<>();
        for (UlimitValue u : f.ulimits.values()) {
            ulimits.add(u.toJson());
        }
        host.put("Ulimits", ulimits);
        host.put("CpuCount", 0);
        host.put("CpuPercent", 0);
        host.put("IOMaximumIOps", 0);
        host.put("IOMaximumBandwidth", 0);
        if (!f.mounts.isEmpty()) {
            host.put("Mounts", new ArrayList<>(f.mounts));
        }
        host.put("MaskedPaths", maskedPaths);
        host.put("ReadonlyPaths", readonlyPaths);
        if (f.init != null) {
            host.put("Init", f.init);
        }

        if (f.autoRemove && !("no".equals(restart.get("Name")) || "".equals(restart.get("Name")))) {
            throw new BadValue("conflicting options: cannot specify both --restart and --rm");
        }

        Map<String, Object> networking = new LinkedHashMap<>();
        networking.put("EndpointsConfig", endpoints());
        return new Request(config, host, networking);
    }

    // ----- pieces

    /**
     * -e KEY takes KEY=value from the local environment when set there, and stays a bare KEY otherwise. docker then
     * passes the -e values through a map (to merge proxy settings), so a key given twice is sent once, with its last
     * value; its order is the map's, which keel keeps deterministic: first mention first.
     */
    private List<String> resolveEnv(List<String> values) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq < 0) {
                String local = localEnv.apply(v);
                byKey.put(v, local != null ? v + "=" + local : v);
            } else {
                byKey.put(v.substring(0, eq), v);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /** opts.ReadKVStrings: the files' lines first, then the flags (which thereby win); null when none. */
    private static List<String> readKeyValues(List<String> files, List<String> overrides,
            Function<String, String> lookup) throws BadValue {
        List<String> out = null;
        for (String file : files) {
            List<String> lines = KeyValueFile.parse(file, lookup);
            if (out == null) {
                out = new ArrayList<>();
            }
            out.addAll(lines);
        }
        if (!overrides.isEmpty()) {
            if (out == null) {
                out = new ArrayList<>();
            }
            out.addAll(overrides);
        }
        return out;
    }

    private static Map<String, String> keyValueMap(List<String> values) {
        Map<String, String> m = new TreeMap<>();
        if (values != null) {
            for (String v : values) {
                int eq = v.indexOf('=');
                m.put(eq < 0 ? v : v.substring(0, eq), eq < 0 ? "" : v.substring(eq + 1));
            }
        }
        return m;
    }

    private static List<String> listOrNull(List<String> l) {
        return l.isEmpty() ? null : new ArrayList<>(l);
    }

    private static boolean containerMode(String mode) {
        return mode.startsWith("container:") && mode.length() > "container:".length();
    }

    /** opts.ParseRestartPolicy; "" sends an empty policy (the daemon's default), as docker does. */
    static Map<String, Object> restartPolicy(String policy) throws BadValue {
        Map<String, Object> p = new LinkedHashMap<>();
        String name = policy;
        long count = 0;
        if (!policy.isEmpty()) {
            int colon = policy.indexOf(':');
            if (colon == 0) {
                throw new BadValue("invalid restart policy format: no policy provided before colon");
            }
            if (colon > 0) {
                name = policy.substring(0, colon);
                String v = policy.substring(colon + 1);
                if (!v.isEmpty()) {
                    try {
                        count = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new BadValue("invalid restart policy format: maximum retry count must be an integer");
                    }
                }
            }
        }
        p.put("Name", name);
        p.put("MaximumRetryCount", count);
        return p;
    }

    /** The API client's normalizeCapabilities: upper case, CAP_ prefix (ALL stays), no duplicates, sorted. */
    static List<String> normalizeCapabilities(List<String> caps) {
        if (caps.isEmpty()) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (String c : caps) {
            String u = c.toUpperCase(Locale.ROOT);
            out.add(u.equals("ALL") || u.startsWith("CAP_") ? u : "CAP_" + u);
        }
        return new ArrayList<>(out);
    }

    /** parseSecurityOpts: key=value or key:value (no-new-privileges alone), seccomp profiles read and compacted. */
    private static List<String> securityOpts(List<String> opts) throws BadValue {
        if (opts.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>(opts);
        for (int i = 0; i < out.size(); i++) {
            String opt = out.get(i);
            int sep = opt.indexOf('=');
            String k = sep < 0 ? opt : opt.substring(0, sep);
            if (sep < 0 && !k.equals("no-new-privileges")) {
                sep = opt.indexOf(':');
                k = sep < 0 ? opt : opt.substring(0, sep);
            }
            String v = sep < 0 ? "" : opt.substring(sep + 1);
            if ((sep < 0 || v.isEmpty()) && !k.equals("no-new-privileges")) {
                throw new BadValue("Invalid --security-opt: " + keel.cli.internal.format.GoQuote.quote(opt));
            }
            if (k.equals("seccomp") && !v.equals("builtin") && !v.equals("unconfined")) {
                String profile;
                try {
                    profile = Files.readString(Path.of(v));
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new BadValue("opening seccomp profile (" + v + ") failed: open " + v
                            + ": no such file or directory");
                } catch (java.io.IOException e) {
                    throw new BadValue("opening seccomp profile (" + v + ") failed: " + e.getMessage());
                }
                try {
                    JsonReader.parse(profile);
                } catch (java.io.IOException e) {
                    throw new BadValue("compacting json for seccomp profile (" + v + ") failed: " + e.getMessage());
                }
                out.set(i, "seccomp=" + JsonIndenter.compact(profile));
            }
        }
        return out;
    }

    private Map<String, Object> healthcheck() throws BadValue {
        boolean have = !f.healthCmd.isEmpty() || f.healthInterval != 0 || f.healthTimeout != 0
                || f.healthStartPeriod != 0 || f.healthRetries != 0 || f.healthStartInterval != 0;
        if (f.noHealthcheck) {
            if (have) {
                throw new BadValue("--no-healthcheck conflicts with --health-* options");
            }
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("Test", List.of("NONE"));
            return h;
        }
        if (!have) {
            return null;
        }
        if (f.healthInterval < 0) {
            throw new BadValue("--health-interval cannot be negative");
        }
        if (f.healthTimeout < 0) {
            throw new BadValue("--health-timeout cannot be negative");
        }
        if (f.healthRetries < 0) {
            throw new BadValue("--health-retries cannot be negative");
        }
        if (f.healthStartPeriod < 0) {
            throw new BadValue("--health-start-period cannot be negative");
        }
        if (f.healthStartInterval < 0) {
            throw new BadValue("--health-start-interval cannot be negative");
        }
        Map<String, Object> h = new LinkedHashMap<>();
        if (!f.healthCmd.isEmpty()) {
            h.put("Test", List.of("CMD-SHELL", f.healthCmd));
        }
        putNonZero(h, "Interval", f.healthInterval);
        putNonZero(h, "Timeout", f.healthTimeout);
        putNonZero(h, "StartPeriod", f.healthStartPeriod);
        putNonZero(h, "StartInterval", f.healthStartInterval);
        putNonZero(h, "Retries", f.healthRetries);
        return h;
    }

    private static void putNonZero(Map<String, Object> m, String key, long v) {
        if (v != 0) {
            m.put(key, v);
        }
    }

    /**
     * parseNetworkOpts: the first network takes --network-alias, --link, --ip, --ip6, --mac-address and
     * --link-local-ip; a single network without endpoint options sends no endpoint; without --network the endpoint
     * is "default".
     */
    private Map<String, Object> endpoints() throws BadValue {
        Map<String, Object> endpoints = new TreeMap<>();
        boolean userDefined = false;
        boolean nonUserDefined = false;
        if (f.networks.isEmpty()) {
            NetworkAttachment n = new NetworkAttachment();
            n.target = "default";
            applyContainerOptions(n);
            endpoints.put("default", endpoint(n));
        }
        for (int i = 0; i < f.networks.size(); i++) {
            NetworkAttachment n = f.networks.get(i);
            if (NetworkAttachment.isUserDefined(n.target)) {
                userDefined = true;
            } else {
                nonUserDefined = true;
            }
            if (i == 0) {
                applyContainerOptions(n);
            }
            Map<String, Object> ep = endpoint(n);
            if (endpoints.containsKey(n.target)) {
                throw new BadValue("network " + keel.cli.internal.format.GoQuote.quote(n.target)
                        + " is specified multiple times");
            }
            if (i == 0 && f.networks.size() == 1 && isEmptyEndpoint(ep)) {
                continue;
            }
            endpoints.put(n.target, ep);
        }
        if (userDefined && nonUserDefined) {
            throw new BadValue("conflicting options: cannot attach both user-defined and non-user-defined "
                    + "network-modes");
        }
        return endpoints;
    }

    private void applyContainerOptions(NetworkAttachment n) throws BadValue {
        if (n.aliases != null && !n.aliases.isEmpty() && !f.aliases.isEmpty()) {
            throw new BadValue("conflicting options: cannot specify both --network-alias and per-network alias");
        }
        if (n.links != null && !n.links.isEmpty() && !f.links.isEmpty()) {
            throw new BadValue("conflicting options: cannot specify both --link and per-network links");
        }
        if (!n.ipv4.isEmpty() && !f.ipv4.isEmpty()) {
            throw new BadValue("conflicting options: cannot specify both --ip and per-network IPv4 address");
        }
        if (!n.ipv6.isEmpty() && !f.ipv6.isEmpty()) {
            throw new BadValue("conflicting options: cannot specify both --ip6 and per-network IPv6 address");
        }
        if (!n.macAddress.isEmpty() && !f.macAddress.isEmpty()) {
            throw new BadValue("conflicting options: cannot specify both --mac-address and per-network MAC address");
        }
        if (n.linkLocalIps != null && !n.linkLocalIps.isEmpty() && !f.linkLocalIps.isEmpty()) {
            throw new BadValue("conflicting options: cannot specify both --link-local-ip and per-network link-local "
                    + "IP addresses");
        }
        if (!f.aliases.isEmpty()) {
            n.aliases = new ArrayList<>(f.aliases);
        }
        if (NetworkAttachment.isUserDefined(n.target) && !f.links.isEmpty()) {
            n.links = new ArrayList<>(f.links);
        }
        if (!f.ipv4.isEmpty()) {
            n.ipv4 = f.ipv4;
        }
        if (!f.ipv6.isEmpty()) {
            n.ipv6 = f.ipv6;
        }
        if (!f.macAddress.isEmpty()) {
            n.macAddress = f.macAddress;
        }
        if (!f.linkLocalIps.isEmpty()) {
            n.linkLocalIps = new ArrayList<>(f.linkLocalIps);
        }
    }

    /** network.EndpointSettings as docker's client marshals a requested endpoint. */
    private static Map<String, Object> endpoint(NetworkAttachment n) throws BadValue {
        if (n.target.trim().isEmpty()) {
            throw new BadValue("no name set for network");
        }
        if (!NetworkAttachment.isUserDefined(n.target)) {
            if (n.aliases != null && !n.aliases.isEmpty()) {
                throw new BadValue("network-scoped aliases are only supported for user-defined networks");
            }
            if (n.links != null && !n.links.isEmpty()) {
                throw new BadValue("links are only supported for user-defined networks");
            }
        }
        Map<String, Object> ep = new LinkedHashMap<>();
        Map<String, Object> ipam = null;
        if (!n.ipv4.isEmpty() || !n.ipv6.isEmpty() || (n.linkLocalIps != null && !n.linkLocalIps.isEmpty())) {
            ipam = new LinkedHashMap<>();
            if (!n.ipv4.isEmpty()) {
                ipam.put("IPv4Address", n.ipv4);
            }
            if (!n.ipv6.isEmpty()) {
                ipam.put("IPv6Address", n.ipv6);
            }
            if (n.linkLocalIps != null && !n.linkLocalIps.isEmpty()) {
                ipam.put("LinkLocalIPs", n.linkLocalIps);
            }
        }
        if (!n.macAddress.isEmpty() && !validMac(n.macAddress)) {
            throw new BadValue(n.macAddress + " is not a valid mac address");
        }
        ep.put("IPAMConfig", ipam);
        ep.put("Links", n.links == null || n.links.isEmpty() ? null : n.links);
        ep.put("Aliases", n.aliases == null || n.aliases.isEmpty() ? null : n.aliases);
        ep.put("MacAddress", n.macAddress);
        ep.put("DriverOpts", n.driverOpts == null || n.driverOpts.isEmpty() ? null : n.driverOpts);
        ep.put("GwPriority", n.gwPriority);
        ep.put("NetworkID", "");
        ep.put("EndpointID", "");
        ep.put("Gateway", "");
        ep.put("IPAddress", "");
        ep.put("IPPrefixLen", 0);
        ep.put("IPv6Gateway", "");
        ep.put("GlobalIPv6Address", "");
        ep.put("GlobalIPv6PrefixLen", 0);
        ep.put("DNSNames", null);
        return ep;
    }

    private static boolean isEmptyEndpoint(Map<String, Object> ep) {
        return ep.get("IPAMConfig") == null && ep.get("Links") == null && ep.get("Aliases") == null
                && "".equals(ep.get("MacAddress")) && ep.get("DriverOpts") == null
                && ((Number) ep.get("GwPriority")).longValue() == 0;
    }

    /** net.ParseMAC: 6, 8 or 20 octets separated by ':' or '-', or dotted groups of four hex digits. */
    static boolean validMac(String s) {
        String t = s.trim();
        if (t.matches("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}")
                || t.matches("([0-9a-fA-F]{2}[:-]){7}[0-9a-fA-F]{2}")
                || t.matches("([0-9a-fA-F]{2}[:-]){19}[0-9a-fA-F]{2}")) {
            char sep = t.charAt(2);
            return t.chars().filter(c -> c == ':' || c == '-').allMatch(c -> c == sep);
        }
        return t.matches("([0-9a-fA-F]{4}\\.){2}[0-9a-fA-F]{4}") || t.matches("([0-9a-fA-F]{4}\\.){3}[0-9a-fA-F]{4}")
                || t.matches("([0-9a-fA-F]{4}\\.){9}[0-9a-fA-F]{4}");
    }
}
