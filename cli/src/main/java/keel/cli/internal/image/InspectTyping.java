package keel.cli.internal.image;

import java.util.LinkedHashMap;
import java.util.Map;

import keel.cli.internal.format.GoNil;
import keel.cli.internal.json.JsonWriter;

/**
 * docker runs inspect templates on its Go struct (image.InspectResponse) first, so a field the daemon left out or
 * sent as null still has its Go zero value: {@code {{.Config.Entrypoint}}} prints "[]", {@code {{.Variant}}} an
 * empty string, {@code {{.Config.Labels}}} "map[]". This schema gives the parsed JSON those zero values; fields
 * outside it behave as in docker's fallback (a missing key is an error).
 */
public final class InspectTyping {

    /** A pointer to a struct: nil prints "&lt;nil&gt;", otherwise the struct's own schema applies. */
    private static final class Ptr {
        final Map<String, Object> schema;

        Ptr(Map<String, Object> schema) {
            this.schema = schema;
        }
    }

    private static final Map<String, Object> IMAGE = new LinkedHashMap<>();

    static {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("User", "");
        config.put("ExposedPorts", GoNil.MAP);
        config.put("Env", GoNil.SLICE);
        config.put("Entrypoint", GoNil.SLICE);
        config.put("Cmd", GoNil.SLICE);
        config.put("Volumes", GoNil.MAP);
        config.put("WorkingDir", "");
        config.put("Labels", GoNil.MAP);
        config.put("StopSignal", "");
        config.put("ArgsEscaped", Boolean.FALSE);
        config.put("Healthcheck", new Ptr(Map.of()));
        config.put("OnBuild", GoNil.SLICE);
        config.put("Shell", GoNil.SLICE);

        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("Data", GoNil.MAP);
        graph.put("Name", "");
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", "");
        rootfs.put("Layers", GoNil.SLICE);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("LastTagTime", "0001-01-01T00:00:00Z");

        IMAGE.put("Id", "");
        IMAGE.put("RepoTags", GoNil.SLICE);
        IMAGE.put("RepoDigests", GoNil.SLICE);
        IMAGE.put("Parent", "");
        IMAGE.put("Comment", "");
        IMAGE.put("Created", "");
        IMAGE.put("Container", "");
        IMAGE.put("ContainerConfig", new Ptr(Map.of()));
        IMAGE.put("DockerVersion", "");
        IMAGE.put("Author", "");
        IMAGE.put("Config", new Ptr(config));
        IMAGE.put("Architecture", "");
        IMAGE.put("Variant", "");
        IMAGE.put("Os", "");
        IMAGE.put("OsVersion", "");
        IMAGE.put("Size", 0L);
        IMAGE.put("VirtualSize", 0L);
        IMAGE.put("GraphDriver", graph);
        IMAGE.put("RootFS", rootfs);
        IMAGE.put("Metadata", metadata);
        IMAGE.put("Descriptor", new Ptr(Map.of()));
        IMAGE.put("Manifests", GoNil.SLICE);
    }

    private InspectTyping() {
    }

    public static Object image(Object json) {
        return json instanceof Map ? apply(IMAGE, (Map<?, ?>) json) : json;
    }

    /**
     * The daemon's object with zero values filled in for templates; {@code {{json .}}} still writes only what the
     * daemon sent (docker's struct would omit most zero fields anyway).
     */
    private static final class ZeroFilled extends LinkedHashMap<String, Object> implements JsonWriter.JsonValue {
        private static final long serialVersionUID = 1L;
        private final java.util.Set<String> filled = new java.util.HashSet<>();

        ZeroFilled(Map<String, Object> json) {
            super(json);
        }

        void fill(String key, Object zero) {
            put(key, zero);
            filled.add(key);
        }

        @Override
        public void writeJson(StringBuilder out, boolean escapeHtml) {
            Map<String, Object> sent = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : entrySet()) {
                if (!filled.contains(e.getKey())) {
                    sent.put(e.getKey(), e.getValue());
                }
            }
            JsonWriter.write(out, sent, escapeHtml);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> apply(Map<String, Object> schema, Map<?, ?> json) {
        ZeroFilled out = new ZeroFilled((Map<String, Object>) json);
        for (Map.Entry<String, Object> e : schema.entrySet()) {
            String key = e.getKey();
            Object kind = e.getValue();
            Object v = out.get(key);
            if (kind instanceof Ptr) {
                if (v instanceof Map) {
                    out.put(key, apply(((Ptr) kind).schema, (Map<?, ?>) v));
                } else if (v == null) {
                    if (out.containsKey(key)) {
                        out.put(key, GoNil.POINTER);
                    } else {
                        out.fill(key, GoNil.POINTER);
                    }
                }
            } else if (kind instanceof Map) {
                Map<String, Object> struct = apply((Map<String, Object>) kind, v instanceof Map ? (Map<?, ?>) v : Map.of());
                if (out.containsKey(key)) {
                    out.put(key, struct);
                } else {
                    out.fill(key, struct);
                }
            } else if (v == null) {
                if (out.containsKey(key)) {
                    out.put(key, kind);
                } else {
                    out.fill(key, kind);
                }
            }
        }
        return out;
    }
}
