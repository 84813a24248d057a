package keel.engine.rest.internal.routes;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import keel.engine.api.container.ContainerService;
import keel.engine.api.container.ExecConfig;
import keel.engine.api.container.StreamSink;
import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.Route;
import keel.engine.rest.internal.json.DockerJson;

/**
 * {@code docker exec}: create an exec in a running container, start it (its streams hijacked as with attach,
 * unless detached), resize its terminal and inspect it; the CLI reads the exit code from the inspect once the
 * stream has ended.
 */
public final class ExecRoutes {
    /** An exec config or a start request is a few hundred bytes. */
    private static final int MAX_BODY = 1 << 20;

    /** Output of a detached exec has no reader. */
    private static final StreamSink DISCARD = new StreamSink() {
        @Override
        public boolean write(int stream, byte[] data, int offset, int length) {
            return true;
        }

        @Override
        public void end() {
        }
    };

    private final ServiceRef<ContainerService> containers;

    public ExecRoutes(ServiceRef<ContainerService> containers) {
        this.containers = containers;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/containers/{name}/exec", this::create),
                Route.post("/exec/{id}/start", this::start),
                Route.post("/exec/{id}/resize", this::resize),
                Route.get("/exec/{id}/json", this::inspect));
    }

    /** 201 {@code {"Id": ...}}. ConsoleSize came with API 1.42; older clients' value is dropped, as dockerd does. */
    private void create(ApiRequest request, ApiResponse response) throws Exception {
        DockerJson json = response.json();
        JsonNode body = jsonBody(request, json);
        ExecConfig config = body == null ? null : json.read(body, ExecConfig.class);
        if (config == null || config.cmd() == null || config.cmd().isEmpty()) {
            throw EngineException.invalid("No exec command specified");
        }
        if (request.version().before(1, 42) && config.consoleSize() != null) {
            config = new ExecConfig(config.attachStdin(), config.attachStdout(), config.attachStderr(),
                    config.detachKeys(), config.tty(), config.env(), config.cmd(), config.privileged(),
                    config.user(), config.workingDir(), null);
        }
        String id = containers.get().execCreate(request.variable("name"), config);
        response.json(201, Map.of("Id", id));
    }

    /**
     * The body is {@code {"Detach": bool, "Tty": bool, "ConsoleSize": [h, w]}}. Detached, the exec runs on and the
     * answer is an empty 200; attached, the client gets the exec's streams (see {@link ClientStream}), framed
     * unless {@code Tty}.
     */
    private void start(ApiRequest request, ApiResponse response) throws Exception {
        DockerJson json = response.json();
        JsonNode body = jsonBody(request, json);
        StartBody start = body == null ? new StartBody(false, false, null) : json.read(body, StartBody.class);
        boolean detach = Boolean.TRUE.equals(start.detach());
        boolean tty = Boolean.TRUE.equals(start.tty());
        ContainerService service = containers.get();
        String id = request.variable("id");
        if (detach) {
            service.execStart(id, true, tty, DISCARD);
            response.status(200);
            return;
        }
        ClientStream.serve(request, response, tty, sink -> service.execStart(id, false, tty, sink), true);
    }

    private void resize(ApiRequest request, ApiResponse response) throws Exception {
        int height = ContainerRoutes.dimension(request, "h", "height");
        int width = ContainerRoutes.dimension(request, "w", "width");
        containers.get().execResize(request.variable("id"), height, width);
        response.status(200);
    }

    private void inspect(ApiRequest request, ApiResponse response) throws Exception {
        response.json(200, ContainerDocuments.exec(containers.get().execInspect(request.variable("id")),
                response.json()));
    }

    /** ExecStartCheck; ConsoleSize is only read by the engine when it allocates the terminal. */
    record StartBody(Boolean detach, Boolean tty, List<Integer> consoleSize) {}

    /**
     * A JSON object body, or null when there is none (dockerd accepts an empty body as all defaults). The body is
     * read to its end, which also leaves the connection clean for a hijack.
     */
    static JsonNode jsonBody(ApiRequest request, DockerJson json) throws Exception {
        String contentType = request.header("Content-Type");
        byte[] bytes = request.bodyBytes(MAX_BODY);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        if (contentType != null && !contentType.isBlank()
                && !contentType.split(";", 2)[0].trim().equalsIgnoreCase(ApiResponse.JSON)) {
            throw EngineException.invalid("unsupported Content-Type header (" + contentType
                    + "): must be 'application/json'");
        }
        JsonNode node = json.read(text);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw EngineException.invalid("invalid JSON: expected a JSON object");
        }
        return node;
    }
}
