package keel.engine.core.internal.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.container.ContainerConfig;

/**
 * Docker's JSON form of a container config ({@code {"Env": [...], "Cmd": [...], ...}}), the {@code config} of an
 * image, read into and written from {@link ContainerConfig}.
 */
public final class ContainerConfigJson {

    private ContainerConfigJson() {}

    public static ContainerConfig read(JsonNode c) {
        ContainerConfig.Builder b = ContainerConfig.builder()
                .hostname(text(c, "Hostname"))
                .domainname(text(c, "Domainname"))
                .user(text(c, "User"))
                .attachStdin(bool(c, "AttachStdin"))
                .attachStdout(bool(c, "AttachStdout"))
                .attachStderr(bool(c, "AttachStderr"))
                .exposedPorts(set(c, "ExposedPorts"))
                .tty(bool(c, "Tty"))
                .openStdin(bool(c, "OpenStdin"))
                .stdinOnce(bool(c, "StdinOnce"))
                .env(list(c, "Env"))
                .cmd(list(c, "Cmd"))
                .argsEscaped(bool(c, "ArgsEscaped"))
                .image(text(c, "Image"))
                .volumes(set(c, "Volumes"))
                .workingDir(text(c, "WorkingDir"))
                .entrypoint(list(c, "Entrypoint"))
                .networkDisabled(bool(c, "NetworkDisabled"))
                .onBuild(list(c, "OnBuild"))
                .labels(labels(c))
                .stopSignal(text(c, "StopSignal"))
                .shell(list(c, "Shell"));
        JsonNode st = c.get("StopTimeout");
        if (st != null && st.isNumber()) {
            b.stopTimeout(st.asInt());
        }
        JsonNode h = c.get("Healthcheck");
        if (h != null && h.isObject()) {
            b.healthcheck(new ContainerConfig.HealthConfig(list(h, "Test"), number(h, "Interval"),
                    number(h, "Timeout"), number(h, "StartPeriod"), number(h, "StartInterval"),
                    h.has("Retries") ? h.get("Retries").asInt() : null));
        }
        return b.build();
    }

    /**
     * Writes a config with Docker's field order and its choice of which empty fields appear (Go's
     * {@code omitempty} on some fields, {@code null} on others), so imported configs look like Docker's.
     */
    public static ObjectNode write(ContainerConfig c) {
        ObjectNode o = ImageConfig.JSON.createObjectNode();
        o.put("Hostname", nz(c.hostname()));
        o.put("Domainname", nz(c.domainname()));
        o.put("User", nz(c.user()));
        o.put("AttachStdin", Boolean.TRUE.equals(c.attachStdin()));
        o.put("AttachStdout", Boolean.TRUE.equals(c.attachStdout()));
        o.put("AttachStderr", Boolean.TRUE.equals(c.attachStderr()));
        if (c.exposedPorts() != null && !c.exposedPorts().isEmpty()) {
            putSet(o, "ExposedPorts", c.exposedPorts());
        }
        o.put("Tty", Boolean.TRUE.equals(c.tty()));
        o.put("OpenStdin", Boolean.TRUE.equals(c.openStdin()));
        o.put("StdinOnce", Boolean.TRUE.equals(c.stdinOnce()));
        putList(o, "Env", c.env());
        putList(o, "Cmd", c.cmd());
        if (c.healthcheck() != null) {
            ContainerConfig.HealthConfig h = c.healthcheck();
            ObjectNode hn = o.putObject("Healthcheck");
            putList(hn, "Test", h.test());
            putNonZero(hn, "Interval", h.interval());
            putNonZero(hn, "Timeout", h.timeout());
            putNonZero(hn, "StartPeriod", h.startPeriod());
            putNonZero(hn, "StartInterval", h.startInterval());
            if (h.retries() != null && h.retries() != 0) {
                hn.put("Retries", h.retries());
            }
        }
        if (Boolean.TRUE.equals(c.argsEscaped())) {
            o.put("ArgsEscaped", true);
        }
        o.put("Image", nz(c.image()));
        if (c.volumes() == null) {
            o.putNull("Volumes");
        } else {
            putSet(o, "Volumes", c.volumes());
        }
        o.put("WorkingDir", nz(c.workingDir()));
        putList(o, "Entrypoint", c.entrypoint());
        if (Boolean.TRUE.equals(c.networkDisabled())) {
            o.put("NetworkDisabled", true);
        }
        putList(o, "OnBuild", c.onBuild());
        if (c.labels() == null) {
            o.putNull("Labels");
        } else {
            ObjectNode l = o.putObject("Labels");
            new java.util.TreeMap<>(c.labels()).forEach(l::put);
        }
        if (c.stopSignal() != null && !c.stopSignal().isEmpty()) {
            o.put("StopSignal", c.stopSignal());
        }
        if (c.stopTimeout() != null) {
            o.put("StopTimeout", c.stopTimeout());
        }
        if (c.shell() != null && !c.shell().isEmpty()) {
            putList(o, "Shell", c.shell());
        }
        return o;
    }

    private static void putList(ObjectNode o, String field, List<String> v) {
        if (v == null) {
            o.putNull(field);
            return;
        }
        ArrayNode a = o.putArray(field);
        v.forEach(a::add);
    }

    private static void putSet(ObjectNode o, String field, Map<String, Map<String, Object>> v) {
        ObjectNode s = o.putObject(field);
        new java.util.TreeMap<>(v).keySet().forEach(k -> s.putObject(k));
    }

    private static void putNonZero(ObjectNode o, String field, Long v) {
        if (v != null && v != 0) {
            o.put(field, v);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Boolean bool(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asBoolean();
    }

    private static Long number(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || !v.isNumber() ? null : v.asLong();
    }

    private static List<String> list(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || !v.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Map<String, Map<String, Object>> set(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || !v.isObject()) {
            return null;
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        v.fieldNames().forEachRemaining(k -> out.put(k, Map.of()));
        return out;
    }

    private static Map<String, String> labels(JsonNode n) {
        JsonNode v = n.get("Labels");
        if (v == null || !v.isObject()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
