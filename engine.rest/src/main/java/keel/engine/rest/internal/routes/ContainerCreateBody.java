package keel.engine.rest.internal.routes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.HostConfig;
import keel.engine.api.container.MountSpec;
import keel.engine.api.container.NetworkingConfig;
import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.ApiVersion;
import keel.engine.rest.internal.json.DockerJson;

/**
 * {@code POST /containers/create}'s body: the Config keys at the top level, with HostConfig and NetworkingConfig
 * inside it. Decoded as dockerd's Go decoder does (see {@link DockerJson}); what dockerd's router refuses for the
 * client's API version is refused here too, before the engine sees it.
 */
final class ContainerCreateBody {
    /** A create body is a config of a few KiB; anything near this is not one. */
    static final int MAX_CONFIG = 4 << 20;

    private ContainerCreateBody() {}

    static CreateRequest parse(ApiRequest request, DockerJson json) throws Exception {
        String contentType = request.header("Content-Type");
        byte[] bytes = request.bodyBytes(MAX_CONFIG);
        if (contentType != null && !contentType.isBlank()) {
            String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mime.equals(ApiResponse.JSON)) {
                throw EngineException.invalid("unsupported Content-Type header (" + contentType
                        + "): must be 'application/json'");
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw EngineException.invalid("config cannot be empty in order to create a container");
        }
        JsonNode root = json.read(text);
        if (root == null || root.isNull()) {
            throw EngineException.invalid("config cannot be empty in order to create a container");
        }
        if (!root.isObject()) {
            throw EngineException.invalid("invalid JSON: the container config must be a JSON object");
        }
        return parse(root, request.version(), json);
    }

    static CreateRequest parse(JsonNode root, ApiVersion version, DockerJson json) throws Exception {
        ContainerConfig config = json.read(root,
                ContainerConfig.class);
        JsonNode hostNode = field(root, "HostConfig");
        HostConfig host = hostNode == null || hostNode.isNull()
                ? HostConfig.EMPTY
                : json.read(hostNode, HostConfig.class);
        JsonNode netNode = field(root, "NetworkingConfig");
        NetworkingConfig networking = netNode == null || netNode.isNull()
                ? null : json.read(netNode, NetworkingConfig.class);
        if (networking == null || networking.endpointsConfig() == null) {
            networking = new NetworkingConfig(Map.of());
        }
        if (version.before(1, 44) && networking.endpointsConfig().size() > 1) {
            throw EngineException.invalid("Container cannot be created with multiple network endpoints: "
                    + String.join(", ", networking.endpointsConfig().keySet()));
        }
        if (!version.before(1, 42) && host.mounts() != null) {
            for (MountSpec m : host.mounts()) {
                String type = m.type() == null ? "" : m.type();
                if (m.bindOptions() != null && !type.equals("bind")) {
                    throw EngineException.invalid("BindOptions must not be specified on mount type \"" + type
                            + "\"");
                }
                if (m.tmpfsOptions() != null && !type.equals("tmpfs")) {
                    throw EngineException.invalid("TmpfsOptions must not be specified on mount type \"" + type
                            + "\"");
                }
            }
        }
        return new CreateRequest(config, host, networking);
    }

    /** A key as Go's decoder finds it: exact first, then ignoring case. */
    static JsonNode field(JsonNode object, String key) {
        JsonNode exact = object.get(key);
        if (exact != null) {
            return exact;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (n.equalsIgnoreCase(key)) {
                return object.get(n);
            }
        }
        return null;
    }
}
