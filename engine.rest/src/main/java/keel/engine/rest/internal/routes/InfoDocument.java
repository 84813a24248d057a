package keel.engine.rest.internal.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.system.SystemInfo;
import keel.engine.rest.internal.json.DockerJson;

/**
 * {@code GET /info} in Docker's SystemInfo shape, keys in dockerd's order. The engine's {@link SystemInfo} gives
 * what Keel knows; the rest is what a Keel daemon is by construction (no swarm, no registry mirrors, no proxy) or
 * facts of this process (threads, file descriptors, clock). The CLI decodes every key it prints, so none is left
 * out: a missing {@code Swarm} or {@code RegistryConfig} would print as garbage, a malformed
 * {@code SecurityOptions} entry as an error.
 */
final class InfoDocument {
    /** Where dockerd says Docker Hub's index is; the CLI uses it to pick credentials for {@code docker login}. */
    static final String INDEX_SERVER = "https://index.docker.io/v1/";

    private static final DateTimeFormatter RFC3339_NANO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnXXX");

    private InfoDocument() {}

    static ObjectNode of(SystemInfo info, DockerJson json) {
        ObjectNode engine = json.tree(info);
        ObjectNode doc = json.object();
        copy(engine, doc, "ID", "");
        copy(engine, doc, "Containers", 0);
        copy(engine, doc, "ContainersRunning", 0);
        copy(engine, doc, "ContainersPaused", 0);
        copy(engine, doc, "ContainersStopped", 0);
        copy(engine, doc, "Images", 0);
        copy(engine, doc, "Driver", "");
        doc.set("DriverStatus", arrayOr(engine.get("DriverStatus"), json));
        doc.set("Plugins", plugins(info.plugins(), json));
        // What the engine can enforce through cgroup v2; Keel's runtime drives all of these controllers.
        doc.put("MemoryLimit", true);
        doc.put("SwapLimit", true);
        doc.put("CpuCfsPeriod", true);
        doc.put("CpuCfsQuota", true);
        doc.put("CPUShares", true);
        doc.put("CPUSet", true);
        doc.put("PidsLimit", true);
        // Keel has no bridge network that would need the host to forward.
        doc.put("IPv4Forwarding", false);
        copy(engine, doc, "Debug", false);
        doc.put("NFd", openFileDescriptors());
        doc.put("OomKillDisable", false);
        // The nearest thing a JVM has to goroutines; printed by `docker info` in debug mode only.
        doc.put("NGoroutines", Thread.activeCount());
        doc.put("SystemTime", OffsetDateTime.now().format(RFC3339_NANO));
        copy(engine, doc, "LoggingDriver", "");
        copy(engine, doc, "CgroupDriver", "");
        copy(engine, doc, "CgroupVersion", "");
        doc.put("NEventsListener", 0);
        copy(engine, doc, "KernelVersion", "");
        copy(engine, doc, "OperatingSystem", "");
        copy(engine, doc, "OSVersion", "");
        copy(engine, doc, "OSType", "linux");
        copy(engine, doc, "Architecture", "");
        doc.put("IndexServerAddress", INDEX_SERVER);
        doc.set("RegistryConfig", registryConfig(json));
        copy(engine, doc, "NCPU", 0);
        copy(engine, doc, "MemTotal", 0);
        doc.putNull("GenericResources");
        copy(engine, doc, "DockerRootDir", "");
        doc.put("HttpProxy", "");
        doc.put("HttpsProxy", "");
        doc.put("NoProxy", "");
        copy(engine, doc, "Name", "");
        doc.set("Labels", arrayOr(engine.get("Labels"), json));
        doc.put("ExperimentalBuild", false);
        copy(engine, doc, "ServerVersion", "");
        List<String> runtimes = driversOfKind(info.plugins(), "Runtime");
        ObjectNode rt = doc.putObject("Runtimes");
        for (String name : runtimes) {
            rt.putObject(name).put("path", name);
        }
        doc.put("DefaultRuntime", runtimes.isEmpty() ? "" : runtimes.get(0));
        ObjectNode swarm = doc.putObject("Swarm");
        swarm.put("NodeID", "");
        swarm.put("NodeAddr", "");
        swarm.put("LocalNodeState", "inactive");
        swarm.put("ControlAvailable", false);
        swarm.put("Error", "");
        swarm.putNull("RemoteManagers");
        copy(engine, doc, "LiveRestoreEnabled", false);
        // Isolation only means something on Windows; dockerd on Linux sends "".
        doc.put("Isolation", "");
        copy(engine, doc, "InitBinary", "");
        doc.putObject("ContainerdCommit").put("ID", "");
        doc.putObject("RuncCommit").put("ID", "");
        doc.putObject("InitCommit").put("ID", "");
        doc.set("SecurityOptions", securityOptions(info.securityOptions(), json));
        doc.putArray("CDISpecDirs");
        doc.set("Warnings", arrayOr(engine.get("Warnings"), json));
        return doc;
    }

    private static void copy(ObjectNode from, ObjectNode to, String key, Object fallback) {
        JsonNode v = from.get(key);
        if (v != null && !v.isNull()) {
            to.set(key, v);
        } else if (fallback instanceof String) {
            to.put(key, (String) fallback);
        } else if (fallback instanceof Boolean) {
            to.put(key, (Boolean) fallback);
        } else {
            to.put(key, ((Number) fallback).longValue());
        }
    }

    private static JsonNode arrayOr(JsonNode v, DockerJson json) {
        return v == null || v.isNull() ? json.array() : v;
    }

    /**
     * Docker's PluginsInfo has Volume, Network, Authorization and Log; Keel also reports Storage and Runtime (the
     * CLI ignores keys it does not know, an operator reading the JSON sees them).
     */
    private static ObjectNode plugins(Map<String, List<String>> plugins, DockerJson json) {
        ObjectNode node = json.object();
        for (String kind : List.of("Volume", "Network", "Authorization", "Log")) {
            node.putArray(kind);
        }
        if (plugins != null) {
            for (Map.Entry<String, List<String>> e : plugins.entrySet()) {
                ArrayNode names = node.putArray(e.getKey());
                if (e.getValue() != null) {
                    e.getValue().forEach(names::add);
                }
            }
        }
        return node;
    }

    private static List<String> driversOfKind(Map<String, List<String>> plugins, String kind) {
        if (plugins == null) {
            return List.of();
        }
        for (Map.Entry<String, List<String>> e : plugins.entrySet()) {
            if (e.getKey().equalsIgnoreCase(kind) && e.getValue() != null) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /**
     * The CLI parses each entry as {@code name=seccomp,profile=builtin} and fails the whole {@code docker info}
     * on an entry without {@code name=}; a bare name from the engine gets the prefix.
     */
    private static ArrayNode securityOptions(List<String> options, DockerJson json) {
        ArrayNode node = json.array();
        if (options != null) {
            for (String o : options) {
                if (o != null && !o.isBlank()) {
                    node.add(o.startsWith("name=") ? o : "name=" + o);
                }
            }
        }
        return node;
    }

    /** dockerd's defaults with no registry configured: Docker Hub official and secure, loopback insecure. */
    private static ObjectNode registryConfig(DockerJson json) {
        ObjectNode config = json.object();
        config.putArray("InsecureRegistryCIDRs").add("::1/128").add("127.0.0.0/8");
        ObjectNode hub = config.putObject("IndexConfigs").putObject("docker.io");
        hub.put("Name", "docker.io");
        hub.putArray("Mirrors");
        hub.put("Secure", true);
        hub.put("Official", true);
        config.putArray("Mirrors");
        return config;
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
