package keel.engine.rest.internal.routes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.ExecDetails;
import keel.engine.rest.internal.http.ApiVersion;
import keel.engine.rest.internal.json.DockerJson;

/**
 * Containers and execs as dockerd 28 writes them. engine.api's records say "not set" with null; Go has no null
 * strings, numbers or booleans, so dockerd writes their zero value ({@code ""}, 0, false), keeps {@code null} for
 * nil slices, maps and pointers, and leaves omitempty fields out. Scripts read these documents with jq and
 * {@code docker inspect -f}, where {@code null} and {@code ""} differ, so every object is brought to Go's shape here
 * key by key (the lists below are the fields of dockerd's structs), and keys Keel does not model (BlkioWeight,
 * GwPriority, the default network's fields) get their zero value.
 */
final class ContainerDocuments {
    private static final String[] NETWORK_MODES_BUILT_IN = {"bridge", "host", "none", "default"};

    private ContainerDocuments() {}

    /** {@code GET /containers/{id}/json}. */
    static ObjectNode details(ContainerDetails d, ApiVersion version, DockerJson json) {
        ObjectNode n = json.tree(d);
        strings(n, "Id Created Path Image ResolvConfPath HostnamePath HostsPath LogPath Name Driver Platform "
                + "MountLabel ProcessLabel AppArmorProfile");
        emptyArray(n, "Args");
        nulls(n, "ExecIDs");
        emptyArray(n, "Mounts");
        if (!(n.get("State") instanceof ObjectNode)) {
            n.putObject("State");
        }
        state((ObjectNode) n.get("State"));
        if (!(n.get("GraphDriver") instanceof ObjectNode)) {
            n.putObject("GraphDriver");
        }
        strings((ObjectNode) n.get("GraphDriver"), "Name");
        nulls((ObjectNode) n.get("GraphDriver"), "Data");
        if (!(n.get("HostConfig") instanceof ObjectNode)) {
            n.putObject("HostConfig");
        }
        hostConfig((ObjectNode) n.get("HostConfig"));
        for (JsonNode m : n.get("Mounts")) {
            mountPoint((ObjectNode) m);
        }
        if (!(n.get("Config") instanceof ObjectNode)) {
            n.putObject("Config");
        }
        config((ObjectNode) n.get("Config"));
        if (!(n.get("NetworkSettings") instanceof ObjectNode)) {
            n.putObject("NetworkSettings");
        }
        networkSettings((ObjectNode) n.get("NetworkSettings"));
        if (version.before(1, 45)) {
            legacyAliases(n);
        }
        return n;
    }

    /** {@code GET /containers/json}: one row. */
    static ObjectNode summary(ContainerSummary s, DockerJson json) {
        ObjectNode n = json.tree(s);
        strings(n, "Id Image ImageID Command State Status");
        emptyArray(n, "Names");
        emptyArray(n, "Ports");
        emptyArray(n, "Mounts");
        emptyObject(n, "Labels");
        for (JsonNode p : n.get("Ports")) {
            ObjectNode port = (ObjectNode) p;
            strings(port, "Type");
            numbers(port, "PrivatePort");
            if (port.path("PublicPort").asInt(0) == 0) {
                port.remove("PublicPort");
            }
        }
        for (JsonNode m : n.get("Mounts")) {
            mountPoint((ObjectNode) m);
        }
        // Summary.HostConfig has only NetworkMode (omitempty); NetworkSettings only Networks.
        ObjectNode host = n.putObject("HostConfig");
        if (s.networkMode() != null && !s.networkMode().isEmpty()) {
            host.put("NetworkMode", s.networkMode());
        }
        ObjectNode networks = n.putObject("NetworkSettings").putObject("Networks");
        if (s.networks() != null) {
            s.networks().forEach((name, ep) -> networks.set(name, endpoint(json.tree(ep))));
        }
        // Mounts last, as dockerd orders the keys.
        n.set("Mounts", n.remove("Mounts"));
        return n;
    }

    /** {@code GET /exec/{id}/json}. */
    static ObjectNode exec(ExecDetails e, DockerJson json) {
        ObjectNode n = json.tree(e);
        strings(n, "ID ContainerID");
        if (!(n.get("ProcessConfig") instanceof ObjectNode)) {
            n.putObject("ProcessConfig");
        }
        ObjectNode pc = (ObjectNode) n.get("ProcessConfig");
        booleans(pc, "tty");
        strings(pc, "entrypoint");
        nulls(pc, "arguments");
        // DetachKeys is a Go []byte, which encoding/json writes in base64; the record holds those bytes one per
        // char.
        String keys = e.detachKeys();
        if (keys == null || keys.isEmpty()) {
            n.putNull("DetachKeys");
        } else {
            n.put("DetachKeys", Base64.getEncoder().encodeToString(keys.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return n;
    }

    /** container.Config as a container's (not an image's) configuration. */
    static void config(ObjectNode c) {
        strings(c, "Hostname Domainname User Image WorkingDir");
        booleans(c, "AttachStdin AttachStdout AttachStderr Tty OpenStdin StdinOnce");
        nulls(c, "Env Cmd Volumes Entrypoint OnBuild Labels");
        omitEmpty(c, "ExposedPorts StopSignal Shell ArgsEscaped NetworkDisabled");
        // Healthcheck and StopTimeout are pointers: absent when nil (the mixin already leaves nulls out).
    }

    static void state(ObjectNode s) {
        strings(s, "Status Error StartedAt FinishedAt");
        booleans(s, "Running Paused Restarting OOMKilled Dead");
        numbers(s, "Pid ExitCode");
    }

    static void hostConfig(ObjectNode h) {
        strings(h, "ContainerIDFile NetworkMode VolumeDriver CgroupnsMode IpcMode Cgroup PidMode UTSMode "
                + "UsernsMode Isolation CgroupParent CpusetCpus CpusetMems");
        booleans(h, "AutoRemove Privileged PublishAllPorts ReadonlyRootfs");
        numbers(h, "OomScoreAdj ShmSize CpuShares Memory NanoCpus BlkioWeight CpuPeriod CpuQuota CpuRealtimePeriod "
                + "CpuRealtimeRuntime MemoryReservation MemorySwap CpuCount CpuPercent IOMaximumIOps "
                + "IOMaximumBandwidth");
        nulls(h, "Binds PortBindings VolumesFrom CapAdd CapDrop Dns DnsOptions DnsSearch ExtraHosts GroupAdd Links "
                + "SecurityOpt BlkioWeightDevice BlkioDeviceReadBps BlkioDeviceWriteBps BlkioDeviceReadIOps "
                + "BlkioDeviceWriteIOps Devices DeviceCgroupRules DeviceRequests MemorySwappiness OomKillDisable "
                + "PidsLimit Ulimits MaskedPaths ReadonlyPaths");
        omitEmpty(h, "StorageOpt Tmpfs Sysctls Runtime Mounts");
        omitNull(h, "Init");
        if (!(h.get("LogConfig") instanceof ObjectNode)) {
            h.putObject("LogConfig");
        }
        strings((ObjectNode) h.get("LogConfig"), "Type");
        nulls((ObjectNode) h.get("LogConfig"), "Config");
        if (!(h.get("RestartPolicy") instanceof ObjectNode)) {
            h.putObject("RestartPolicy");
        }
        strings((ObjectNode) h.get("RestartPolicy"), "Name");
        numbers((ObjectNode) h.get("RestartPolicy"), "MaximumRetryCount");
        JsonNode size = h.get("ConsoleSize");
        if (size == null || !size.isArray() || size.size() != 2) {
            h.putArray("ConsoleSize").add(0).add(0);
        }
    }

    /** container.NetworkSettings: NetworkSettingsBase, then DefaultNetworkSettings, then Networks (Go's order). */
    private static final String NETWORK_SETTINGS_KEYS = "Bridge SandboxID SandboxKey Ports HairpinMode "
            + "LinkLocalIPv6Address LinkLocalIPv6PrefixLen SecondaryIPAddresses SecondaryIPv6Addresses EndpointID "
            + "Gateway GlobalIPv6Address GlobalIPv6PrefixLen IPAddress IPPrefixLen IPv6Gateway MacAddress Networks";

    /** network.EndpointSettings in Go's field order. */
    private static final String ENDPOINT_KEYS = "IPAMConfig Links Aliases MacAddress DriverOpts GwPriority NetworkID "
            + "EndpointID Gateway IPAddress IPPrefixLen IPv6Gateway GlobalIPv6Address GlobalIPv6PrefixLen DNSNames";

    /**
     * NetworkSettings of inspect. Besides the networks, dockerd still writes the default bridge network's endpoint
     * at the top level (IPAddress, Gateway, ...), which many scripts read as {@code .NetworkSettings.IPAddress}.
     * Ports is a nat.PortMap: an exposed port that is not published maps to null (getPortMapInfo leaves its
     * bindings nil), which {@code docker port} skips; published ones list their host IP and port.
     */
    static void networkSettings(ObjectNode ns) {
        strings(ns, "Bridge SandboxID SandboxKey LinkLocalIPv6Address");
        booleans(ns, "HairpinMode");
        numbers(ns, "LinkLocalIPv6PrefixLen");
        nulls(ns, "SecondaryIPAddresses SecondaryIPv6Addresses");
        emptyObject(ns, "Ports");
        ObjectNode ports = (ObjectNode) ns.get("Ports");
        for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray() && e.getValue().isEmpty()) {
                e.setValue(NullNode.getInstance());
            } else if (e.getValue().isArray()) {
                for (JsonNode b : e.getValue()) {
                    if (b instanceof ObjectNode) {
                        strings((ObjectNode) b, "HostIp HostPort");
                    }
                }
            }
        }
        emptyObject(ns, "Networks");
        ObjectNode networks = (ObjectNode) ns.get("Networks");
        for (Iterator<Map.Entry<String, JsonNode>> it = networks.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ObjectNode) {
                endpoint((ObjectNode) e.getValue());
            }
        }
        JsonNode bridge = networks.get("bridge");
        for (String key : List.of("EndpointID", "Gateway", "GlobalIPv6Address", "IPAddress", "IPv6Gateway",
                "MacAddress")) {
            ns.put(key, bridge == null ? "" : bridge.path(key).asText(""));
        }
        for (String key : List.of("GlobalIPv6PrefixLen", "IPPrefixLen")) {
            ns.put(key, bridge == null ? 0 : bridge.path(key).asInt(0));
        }
        order(ns, NETWORK_SETTINGS_KEYS);
    }

    static ObjectNode endpoint(ObjectNode ep) {
        nulls(ep, "IPAMConfig Links Aliases DriverOpts DNSNames");
        strings(ep, "MacAddress NetworkID EndpointID Gateway IPAddress IPv6Gateway GlobalIPv6Address");
        numbers(ep, "GwPriority IPPrefixLen GlobalIPv6PrefixLen");
        order(ep, ENDPOINT_KEYS);
        return ep;
    }

    static void mountPoint(ObjectNode m) {
        strings(m, "Source Destination Mode Propagation");
        booleans(m, "RW");
    }

    /**
     * API before 1.45: the endpoint of a user-defined network listed the container's short ID and hostname among
     * its aliases (dockerd added them to every such endpoint; newer clients read them from DNSNames).
     */
    private static void legacyAliases(ObjectNode n) {
        String id = n.path("Id").asText("");
        String shortId = id.length() > 12 ? id.substring(0, 12) : id;
        String hostname = n.path("Config").path("Hostname").asText("");
        ObjectNode networks = (ObjectNode) n.path("NetworkSettings").path("Networks");
        for (Iterator<Map.Entry<String, JsonNode>> it = networks.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!userDefined(e.getKey()) || !(e.getValue() instanceof ObjectNode)) {
                continue;
            }
            ObjectNode ep = (ObjectNode) e.getValue();
            Set<String> aliases = new LinkedHashSet<>();
            ep.path("Aliases").forEach(a -> aliases.add(a.asText()));
            aliases.add(shortId);
            if (!hostname.isEmpty()) {
                aliases.add(hostname);
            }
            ArrayNode out = ep.putArray("Aliases");
            aliases.forEach(out::add);
        }
    }

    private static boolean userDefined(String network) {
        for (String builtIn : NETWORK_MODES_BUILT_IN) {
            if (builtIn.equals(network)) {
                return false;
            }
        }
        return !network.startsWith("container:");
    }

    // --- Go's zero values ---------------------------------------------------------------------------------------

    private static List<String> keys(String keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys.split(" ")) {
            if (!k.isEmpty()) {
                out.add(k);
            }
        }
        return out;
    }

    private static boolean unset(ObjectNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull();
    }

    /** Go strings: "" when unset. */
    static void strings(ObjectNode n, String keys) {
        for (String k : keys(keys)) {
            if (unset(n, k)) {
                n.put(k, "");
            }
        }
    }

    /** Go numbers: 0 when unset. */
    static void numbers(ObjectNode n, String keys) {
        for (String k : keys(keys)) {
            if (unset(n, k)) {
                n.put(k, 0);
            }
        }
    }

    /** Go booleans: false when unset. */
    static void booleans(ObjectNode n, String keys) {
        for (String k : keys(keys)) {
            if (unset(n, k)) {
                n.put(k, false);
            }
        }
    }

    /** Go slices, maps and pointers without omitempty: present, null when unset. */
    static void nulls(ObjectNode n, String keys) {
        for (String k : keys(keys)) {
            if (!n.has(k)) {
                n.putNull(k);
            }
        }
    }

    /** omitempty: left out when null, "", false, 0 or an empty list or map. */
    static void omitEmpty(ObjectNode n, String keys) {
        for (String k : keys(keys)) {
            JsonNode v = n.get(k);
            if (v == null) {
                continue;
            }
            boolean empty = v.isNull() || (v.isTextual() && v.asText().isEmpty())
                    || (v.isBoolean() && !v.asBoolean()) || (v.isNumber() && v.asDouble() == 0)
                    || (v.isContainerNode() && v.isEmpty());
            if (empty) {
                n.remove(k);
            }
        }
    }

    /** omitempty on a pointer: left out only when nil (a false Init is written). */
    static void omitNull(ObjectNode n, String keys) {
        for (String k : keys(keys)) {
            if (n.has(k) && n.get(k).isNull()) {
                n.remove(k);
            }
        }
    }

    /**
     * Puts {@code keys} first, in that order, as Go writes a struct's fields; keys not listed keep their place
     * after them.
     */
    static void order(ObjectNode n, String keys) {
        Map<String, JsonNode> rest = new java.util.LinkedHashMap<>();
        n.fields().forEachRemaining(e -> rest.put(e.getKey(), e.getValue()));
        n.removeAll();
        for (String k : keys(keys)) {
            JsonNode v = rest.remove(k);
            if (v != null) {
                n.set(k, v);
            }
        }
        rest.forEach(n::set);
    }

    /** A list dockerd always fills ([] rather than null). */
    private static void emptyArray(ObjectNode n, String key) {
        if (!(n.get(key) instanceof ArrayNode)) {
            n.putArray(key);
        }
    }

    /** A map dockerd always fills ({} rather than null). */
    private static void emptyObject(ObjectNode n, String key) {
        if (!(n.get(key) instanceof ObjectNode)) {
            n.putObject(key);
        }
    }
}
