package keel.engine.rest.internal.routes;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.container.EndpointSettings;
import keel.engine.api.errors.EngineException;
import keel.engine.api.network.NetworkCreateRequest;
import keel.engine.api.network.NetworkCreateResult;
import keel.engine.api.network.NetworkDetails;
import keel.engine.api.network.NetworkService;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.ApiVersion;
import keel.engine.rest.internal.http.Route;
import keel.engine.rest.internal.json.DockerJson;

/**
 * {@code /networks/...}: list, inspect, create, remove, prune, and connecting containers to networks and
 * disconnecting them. Networks are named by ID, ID prefix or name, which the engine resolves. Keel has no swarm
 * mode, so what only a swarm can do (ingress and swarm-scoped networks) is refused rather than half done, and so
 * are config-only networks.
 */
public final class NetworkRoutes {
    /** dockerd's network.ValidateFilters. */
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "driver", "id", "label", "name", "scope",
            "type");

    /** dockerd's networksAcceptedFilters for a prune. */
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "until");

    private final ServiceRef<NetworkService> networks;

    public NetworkRoutes(ServiceRef<NetworkService> networks) {
        this.networks = networks;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/networks", this::list),
                Route.get("/networks/", this::list),
                Route.post("/networks/create", this::create),
                Route.post("/networks/prune", this::prune).since(new ApiVersion(1, 25)),
                Route.post("/networks/{id}/connect", this::connect),
                Route.post("/networks/{id}/disconnect", this::disconnect),
                Route.get("/networks/{id}", this::inspect),
                Route.delete("/networks/{id}", this::remove));
    }

    /** Before API 1.28 the list carried each network's endpoints, as inspect does. */
    private void list(ApiRequest request, ApiResponse response) throws Exception {
        Map<String, List<String>> filters = filters(request, LIST_FILTERS);
        List<NetworkDetails> found = networks.get().list(filters);
        boolean detailed = request.version().before(1, 28);
        DockerJson json = response.json();
        ArrayNode out = json.array();
        for (NetworkDetails d : found) {
            out.add(NetworkDocuments.network(d, detailed, json));
        }
        response.json(200, out);
    }

    /**
     * {@code verbose} adds swarm service details, which a local network does not have; it is still checked as
     * dockerd checks it. {@code scope} narrows the search: a local network is not found under another scope.
     */
    private void inspect(ApiRequest request, ApiResponse response) throws Exception {
        String id = request.variable("id");
        String verbose = request.param("verbose");
        if (verbose != null && !verbose.isEmpty()) {
            goBool(verbose, "invalid value for verbose: " + verbose);
        }
        NetworkDetails d = networks.get().inspect(id);
        String scope = request.param("scope", "");
        String actual = d.scope() == null || d.scope().isEmpty() ? "local" : d.scope();
        if (!scope.isEmpty() && !scope.equals(actual)) {
            throw EngineException.notFound("network " + id + " not found");
        }
        response.json(200, NetworkDocuments.network(d, true, response.json()));
    }

    /**
     * 201 {@code {"Id": ..., "Warning": ...}}. An empty body is all defaults, as dockerd's ReadJSON has it (the
     * engine then refuses the empty name). EnableIPv4 came with API 1.48 and is ignored from older clients.
     */
    private void create(ApiRequest request, ApiResponse response) throws Exception {
        DockerJson json = response.json();
        JsonNode body = ExecRoutes.jsonBody(request, json);
        if (body == null) {
            body = json.object();
        }
        NetworkCreateRequest create = json.read(body, NetworkCreateRequest.class);
        refuseUnsupported(body, request.version());
        NetworkCreateResult result = networks.get().create(create);
        ObjectNode out = json.object();
        out.put("Id", result.id() == null ? "" : result.id());
        out.put("Warning", result.warning() == null ? "" : result.warning());
        response.json(201, out);
    }

    /** The create options engine.api does not carry because Keel cannot honour them: a clear error, not a shrug. */
    private static void refuseUnsupported(JsonNode body, ApiVersion version) {
        String scope = text(body, "Scope");
        if (scope.equals("swarm") || scope.equals("global")) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED, "network scope \"" + scope
                    + "\" needs swarm mode, which Keel does not have: networks are local");
        }
        if (!scope.isEmpty() && !scope.equals("local")) {
            throw EngineException.invalid("invalid network scope \"" + scope + "\": use local");
        }
        if (flag(body, "Ingress")) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                    "ingress networks are swarm's routing mesh, which Keel does not have");
        }
        JsonNode from = ContainerCreateBody.field(body, "ConfigFrom");
        boolean fromSet = from != null && from.isObject() && !text(from, "Network").isEmpty();
        if (flag(body, "ConfigOnly") || fromSet) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                    "config-only networks (--config-only, --config-from) are not supported");
        }
        JsonNode ipv4 = ContainerCreateBody.field(body, "EnableIPv4");
        if (!version.before(1, 48) && ipv4 != null && !ipv4.isNull()) {
            if (!ipv4.isBoolean()) {
                throw EngineException.invalid("invalid JSON: EnableIPv4 must be a boolean");
            }
            if (!ipv4.asBoolean()) {
                throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                        "networks without IPv4 are not supported: Keel's networks are IPv4 networks");
            }
        }
    }

    private void remove(ApiRequest request, ApiResponse response) throws Exception {
        networks.get().remove(request.variable("id"));
        response.status(204);
    }

    /** {@code {"NetworksDeleted": [...]}}: a nil slice in dockerd when nothing went, so null. */
    private void prune(ApiRequest request, ApiResponse response) throws Exception {
        List<String> deleted = networks.get().prune(filters(request, PRUNE_FILTERS));
        ObjectNode out = response.json().object();
        if (deleted == null || deleted.isEmpty()) {
            out.putNull("NetworksDeleted");
        } else {
            ArrayNode names = out.putArray("NetworksDeleted");
            deleted.forEach(names::add);
        }
        response.json(200, out);
    }

    /**
     * Body {@code {"Container": ..., "EndpointConfig": {...}}} (network.ConnectOptions); 200 without a body.
     * Link-local addresses and a gateway priority are not in engine.api's endpoint, so asking for them is refused.
     */
    private void connect(ApiRequest request, ApiResponse response) throws Exception {
        DockerJson json = response.json();
        JsonNode body = ExecRoutes.jsonBody(request, json);
        ConnectBody connect = body == null ? new ConnectBody(null, null) : json.read(body, ConnectBody.class);
        String container = container(connect.container());
        JsonNode endpoint = body == null ? null : ContainerCreateBody.field(body, "EndpointConfig");
        if (endpoint != null && endpoint.isObject()) {
            JsonNode ipam = ContainerCreateBody.field(endpoint, "IPAMConfig");
            JsonNode linkLocal = ipam == null ? null : ContainerCreateBody.field(ipam, "LinkLocalIPs");
            if (linkLocal != null && linkLocal.isArray() && !linkLocal.isEmpty()) {
                throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                        "link-local addresses (--link-local-ip) are not supported");
            }
            JsonNode priority = ContainerCreateBody.field(endpoint, "GwPriority");
            if (priority != null && priority.isNumber() && priority.asLong() != 0) {
                throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                        "gateway priorities (--gw-priority) are not supported");
            }
        }
        networks.get().connect(request.variable("id"), container, connect.endpointConfig());
        response.status(200);
    }

    /** Body {@code {"Container": ..., "Force": bool}} (network.DisconnectOptions); 200 without a body. */
    private void disconnect(ApiRequest request, ApiResponse response) throws Exception {
        DockerJson json = response.json();
        JsonNode body = ExecRoutes.jsonBody(request, json);
        DisconnectBody disconnect = body == null ? new DisconnectBody(null, null)
                : json.read(body, DisconnectBody.class);
        networks.get().disconnect(request.variable("id"), container(disconnect.container()),
                Boolean.TRUE.equals(disconnect.force()));
        response.status(200);
    }

    /** network.ConnectOptions. */
    record ConnectBody(String container, EndpointSettings endpointConfig) {}

    /** network.DisconnectOptions. */
    record DisconnectBody(String container, Boolean force) {}

    /** dockerd's GetContainer on an empty name. */
    private static String container(String name) {
        if (name == null || name.isBlank()) {
            throw EngineException.invalid("invalid container name or ID: value is empty");
        }
        return name;
    }

    private static Map<String, List<String>> filters(ApiRequest request, Set<String> accepted) {
        Map<String, List<String>> filters = request.filters();
        for (String key : filters.keySet()) {
            if (!accepted.contains(key)) {
                throw EngineException.invalid("invalid filter '" + key + "'");
            }
        }
        return filters;
    }

    /** Go's strconv.ParseBool, with dockerd's wrapping of its error. */
    static boolean goBool(String v, String context) {
        switch (v) {
            case "1", "t", "T", "TRUE", "true", "True":
                return true;
            case "0", "f", "F", "FALSE", "false", "False":
                return false;
            default:
                throw EngineException.invalid(context + ": strconv.ParseBool: parsing \"" + v
                        + "\": invalid syntax");
        }
    }

    private static String text(JsonNode object, String key) {
        JsonNode v = ContainerCreateBody.field(object, key);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw EngineException.invalid("invalid JSON: " + key + " must be a string");
        }
        return v.asText();
    }

    private static boolean flag(JsonNode object, String key) {
        JsonNode v = ContainerCreateBody.field(object, key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw EngineException.invalid("invalid JSON: " + key + " must be a boolean");
        }
        return v.asBoolean();
    }
}
