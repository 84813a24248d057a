package keel.engine.core.internal.image;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.image.layer.Digests;

/**
 * An image's config (the OCI image config, which Docker extends with {@code container_config},
 * {@code docker_version} ...), parsed for reading. The raw bytes stay the image's identity (the image ID is their
 * sha256); this class never writes them back.
 */
public final class ImageConfig {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One step of {@code history}. */
    public record History(String created, String createdBy, String comment, String author, boolean emptyLayer) {}

    private final JsonNode root;
    private final List<String> diffIds;
    private final List<History> history;

    private ImageConfig(JsonNode root, List<String> diffIds, List<History> history) {
        this.root = root;
        this.diffIds = diffIds;
        this.history = history;
    }

    /**
     * Parses and checks a config: a JSON object with {@code rootfs} of type {@code layers} whose DiffIDs are sha256
     * digests, for Linux.
     *
     * @throws EngineException INVALID_PARAMETER naming what is wrong
     */
    public static ImageConfig parse(byte[] config) {
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (IOException e) {
            throw EngineException.invalid("invalid image config: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw EngineException.invalid("invalid image config: not a JSON object");
        }
        JsonNode rootfs = root.get("rootfs");
        if (rootfs == null || !rootfs.isObject()) {
            throw EngineException.invalid("invalid image JSON, no RootFS key");
        }
        if (!"layers".equals(rootfs.path("type").asText())) {
            throw EngineException.invalid("invalid image config: rootfs type " + rootfs.path("type")
                    + " is not supported");
        }
        List<String> diffIds = new ArrayList<>();
        for (JsonNode d : rootfs.path("diff_ids")) {
            if (!Digests.isSha256(d.asText())) {
                throw EngineException.invalid("invalid image config: diff_id " + d + " is not a sha256 digest");
            }
            diffIds.add(d.asText());
        }
        String os = root.path("os").asText("");
        if (!os.isEmpty() && !os.equals("linux")) {
            throw EngineException.invalid("cannot load " + os + " image on linux");
        }
        List<History> history = new ArrayList<>();
        for (JsonNode h : root.path("history")) {
            history.add(new History(text(h, "created"), text(h, "created_by"), text(h, "comment"),
                    text(h, "author"), h.path("empty_layer").asBoolean(false)));
        }
        if (root.has("created") && !root.get("created").isNull() && parseTime(root.get("created").asText()) == null) {
            throw EngineException.invalid("invalid image config: created " + root.get("created") + " is not a time");
        }
        return new ImageConfig(root, List.copyOf(diffIds), List.copyOf(history));
    }

    public List<String> diffIds() {
        return diffIds;
    }

    public List<History> history() {
        return history;
    }

    /** {@code created} as written, or null. */
    public String created() {
        return text(root, "created");
    }

    /** {@code created} as a time, or null. */
    public OffsetDateTime createdTime() {
        String c = created();
        return c == null ? null : parseTime(c);
    }

    public String architecture() {
        return text(root, "architecture");
    }

    public String variant() {
        return text(root, "variant");
    }

    public String os() {
        String os = text(root, "os");
        return os == null || os.isEmpty() ? "linux" : os;
    }

    public String osVersion() {
        return text(root, "os.version");
    }

    public String author() {
        return text(root, "author");
    }

    public String comment() {
        return text(root, "comment");
    }

    public String dockerVersion() {
        return text(root, "docker_version");
    }

    /** The container config ({@code config}), or null. */
    public ContainerConfig containerConfig() {
        JsonNode c = root.get("config");
        return c == null || c.isNull() ? null : ContainerConfigJson.read(c);
    }

    /** {@code config.Labels}, never null. */
    public Map<String, String> labels() {
        JsonNode l = root.path("config").path("Labels");
        if (!l.isObject()) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new LinkedHashMap<>();
        l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Parses an RFC 3339 time as Go's time.Time unmarshals it; null when it is not one. */
    static OffsetDateTime parseTime(String s) {
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
