package keel.engine.rest.internal.routes;

import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.container.AttachOptions;
import keel.engine.api.container.ContainerDetails;
import keel.engine.api.container.ContainerService;
import keel.engine.api.container.ContainerSummary;
import keel.engine.api.container.CreateRequest;
import keel.engine.api.container.CreateResult;
import keel.engine.api.container.LogOptions;
import keel.engine.api.container.WaitCondition;
import keel.engine.api.container.WaitResult;
import keel.engine.api.errors.EngineException;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.ApiVersion;
import keel.engine.rest.internal.http.DeferredResponse;
import keel.engine.rest.internal.http.ErrorStatus;
import keel.engine.rest.internal.http.Route;
import keel.engine.rest.internal.json.DockerJson;

/**
 * {@code /containers/...}: create, list, inspect, the life cycle (start, stop, restart, kill, pause, unpause,
 * rename, remove, prune), wait, top, resize, logs and attach. Containers are named by ID, ID prefix or name; the
 * name sits in the middle of the path and is matched from the end, like dockerd's {@code {name:.*}}.
 */
public final class ContainerRoutes {
    private static final System.Logger LOG = System.getLogger(ContainerRoutes.class.getName());

    /** {@code os[/arch[/variant]]}, each part what containerd's platform parser accepts. */
    private static final Pattern PLATFORM = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,2}");

    private final ServiceRef<ContainerService> containers;

    public ContainerRoutes(ServiceRef<ContainerService> containers) {
        this.containers = containers;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/containers/json", this::list),
                Route.post("/containers/create", this::create),
                Route.post("/containers/prune", this::prune).since(new ApiVersion(1, 25)),
                Route.get("/containers/{name}/json", this::inspect),
                Route.get("/containers/{name}/top", this::top),
                Route.get("/containers/{name}/logs", this::logs),
                Route.post("/containers/{name}/start", this::start),
                Route.post("/containers/{name}/stop", this::stop),
                Route.post("/containers/{name}/restart", this::restart),
                Route.post("/containers/{name}/kill", this::kill),
                Route.post("/containers/{name}/wait", this::await),
                Route.post("/containers/{name}/pause", this::pause),
                Route.post("/containers/{name}/unpause", this::unpause),
                Route.post("/containers/{name}/rename", this::rename),
                Route.post("/containers/{name}/resize", this::resize),
                Route.post("/containers/{name}/attach", this::attach),
                Route.delete("/containers/{name}", this::remove));
    }

    // --- create, list, inspect --------------------------------------------------------------------------------

    private void create(ApiRequest request, ApiResponse response) throws Exception {
        String name = request.param("name", null);
        String platform = request.param("platform", null);
        // The engine picks the image's platform itself (ContainerService.create has no platform); a malformed
        // one is still the client's error, as with dockerd.
        if (platform != null && !request.version().before(1, 41) && !PLATFORM.matcher(platform).matches()) {
            throw EngineException.invalid("invalid platform \"" + platform + "\": expected os[/arch[/variant]]");
        }
        CreateRequest body = ContainerCreateBody.parse(request, response.json());
        CreateResult result = containers.get().create(name, body);
        List<String> warnings = result.warnings() == null ? List.of() : result.warnings();
        response.json(201, new CreateResult(result.id(), warnings));
    }

    private void list(ApiRequest request, ApiResponse response) throws Exception {
        // dockerd: a limit of 0 or less is no limit; the engine hears -1 for that.
        int limit = request.integer("limit", -1);
        List<ContainerSummary> rows = containers.get().list(request.bool("all", false), limit <= 0 ? -1 : limit,
                request.bool("size", false), request.filters());
        DockerJson json = response.json();
        ArrayNode out = json.array();
        for (ContainerSummary s : rows) {
            out.add(ContainerDocuments.summary(s, json));
        }
        response.json(200, out);
    }

    private void inspect(ApiRequest request, ApiResponse response) throws Exception {
        ContainerDetails d = containers.get().inspect(request.variable("name"), request.bool("size", false));
        response.json(200, ContainerDocuments.details(d, request.version(), response.json()));
    }

    private void top(ApiRequest request, ApiResponse response) throws Exception {
        response.json(200, containers.get().top(request.variable("name"), request.param("ps_args", "-ef")));
    }

    private void prune(ApiRequest request, ApiResponse response) throws Exception {
        response.json(200, containers.get().prune(request.filters()));
    }

    // --- life cycle ---------------------------------------------------------------------------------------------

    /**
     * 204, or 304 when the container already runs (the CLI says nothing either way). Since API 1.24 a start takes
     * no body: a HostConfig sent here was ignored silently by old daemons, so dockerd refuses anything longer than
     * an empty JSON object rather than pretend to apply it.
     */
    private void start(ApiRequest request, ApiResponse response) throws Exception {
        long length = request.contentLength();
        if (length > 7 || length < 0) {
            throw EngineException.invalid("starting container with non-empty request body was deprecated since "
                    + "API v1.22 and removed in v1.24");
        }
        if (request.param("checkpoint", null) != null) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED, "checkpoints are not supported");
        }
        // An already running container is the engine's NOT_MODIFIED (304), a paused one its conflict, as dockerd
        // decides them in ContainerStart: no inspect first, which would cost a whole record's rendering per start.
        containers.get().start(request.variable("name"));
        response.status(204);
    }

    /** 204, or 304 when it was not running. {@code signal} is new in API 1.42 and ignored before, as dockerd. */
    private void stop(ApiRequest request, ApiResponse response) throws Exception {
        Integer timeout = timeout(request);
        String signal = request.version().before(1, 42) ? null : request.param("signal", null);
        ContainerService service = containers.get();
        String name = request.variable("name");
        ContainerDetails d = service.inspect(name, false);
        if (d.state() != null && !d.state().running()) {
            response.status(304);
            return;
        }
        service.stop(name, timeout, signal);
        response.status(204);
    }

    private void restart(ApiRequest request, ApiResponse response) throws Exception {
        Integer timeout = timeout(request);
        String signal = request.version().before(1, 42) ? null : request.param("signal", null);
        containers.get().restart(request.variable("name"), timeout, signal);
        response.status(204);
    }

    /** Signals by name or number ({@code SIGHUP}, {@code HUP}, {@code 1}) are the engine's to parse. */
    private void kill(ApiRequest request, ApiResponse response) throws Exception {
        String name = request.variable("name");
        try {
            containers.get().kill(name, request.param("signal", null));
        } catch (EngineException e) {
            // dockerd wraps the reason, keeping its kind: "cannot kill container: web: container web is not running".
            throw new EngineException(e.kind(), "cannot kill container: " + name + ": " + e.getMessage(), e);
        }
        response.status(204);
    }

    private void pause(ApiRequest request, ApiResponse response) throws Exception {
        containers.get().pause(request.variable("name"));
        response.status(204);
    }

    private void unpause(ApiRequest request, ApiResponse response) throws Exception {
        containers.get().unpause(request.variable("name"));
        response.status(204);
    }

    private void rename(ApiRequest request, ApiResponse response) throws Exception {
        String newName = request.param("name", "");
        if (newName.isBlank()) {
            throw EngineException.invalid("Neither old nor new names may be empty");
        }
        containers.get().rename(request.variable("name"), newName);
        response.status(204);
    }

    /** {@code link} removed a legacy link, a feature Keel does not have: there is never one to remove. */
    private void remove(ApiRequest request, ApiResponse response) throws Exception {
        boolean force = request.bool("force", false);
        boolean volumes = request.bool("v", false);
        if (request.bool("link", false)) {
            throw EngineException.invalid("legacy container links are not supported: there is no link to remove");
        }
        containers.get().remove(request.variable("name"), force, volumes);
        response.status(204);
    }

    /** dockerd answers a resize with 200 and no body. */
    private void resize(ApiRequest request, ApiResponse response) throws Exception {
        int height = dimension(request, "h", "height");
        int width = dimension(request, "w", "width");
        containers.get().resize(request.variable("name"), height, width);
        response.status(200);
    }

    /** A terminal dimension: dockerd reads a uint32, absent is 0. */
    static int dimension(ApiRequest request, String param, String what) {
        String v = request.param(param, "0").trim();
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return (int) Math.min(n, Integer.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw EngineException.invalid("invalid resize " + what + " \"" + request.param(param)
                    + "\": expected a non-negative integer");
        }
    }

    /** {@code t}: seconds before SIGKILL; absent is the container's own StopTimeout, -1 waits forever. */
    private static Integer timeout(ApiRequest request) {
        String t = request.param("t", null);
        if (t == null) {
            return null;
        }
        int seconds = request.integer("t", 0);
        if (seconds < -1) {
            throw EngineException.invalid("invalid stop timeout " + t + ": use -1 to wait forever");
        }
        return seconds;
    }

    // --- wait ---------------------------------------------------------------------------------------------------

    /**
     * The status line and headers go out as soon as the wait is set up and the body when the condition holds;
     * {@code docker run} starts the container only once the wait has its headers. No thread waits meanwhile (see
     * {@link DeferredResponse}). Before API 1.30 there was no condition and the whole answer came at the end.
     */
    private void await(ApiRequest request, ApiResponse response) throws Exception {
        boolean legacy = request.version().before(1, 30);
        WaitCondition condition = WaitCondition.NOT_RUNNING;
        if (!legacy) {
            String c = request.param("condition", "");
            switch (c) {
                case "":
                case "not-running":
                    break;
                case "next-exit":
                    condition = WaitCondition.NEXT_EXIT;
                    break;
                case "removed":
                    condition = WaitCondition.REMOVED;
                    break;
                default:
                    throw EngineException.invalid("invalid condition: \"" + c + "\"");
            }
        }
        CompletionStage<WaitResult> waiting = containers.get().await(request.variable("name"), condition);
        DockerJson json = response.json();
        DeferredResponse deferred = response.deferred();
        // docker run -d sends a wait and exits once the container started: the waiter goes with the client
        deferred.onClientGone(() -> waiting.toCompletableFuture().cancel(false));
        if (!legacy) {
            deferred.sendHead(200, ApiResponse.JSON);
        }
        waiting.whenComplete((result, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (legacy) {
                        deferred.fail(cause);
                        return;
                    }
                    if (ErrorStatus.of(cause) == 500) {
                        LOG.log(Level.WARNING, "waiting for a container failed: " + ErrorStatus.message(cause),
                                cause);
                    }
                    result = new WaitResult(-1, ErrorStatus.message(cause));
                }
                deferred.finish(200, ApiResponse.JSON, json.write(waitBody(result, json)));
            } catch (RuntimeException e) {
                deferred.fail(e);
            }
        });
    }

    /** WaitResponse: {@code Error} is a pointer with omitempty, so it is absent when the wait did not fail. */
    static ObjectNode waitBody(WaitResult result, DockerJson json) {
        ObjectNode body = json.object();
        if (result.error() != null && !result.error().isEmpty()) {
            body.putObject("Error").put("Message", result.error());
        }
        body.put("StatusCode", result.statusCode());
        return body;
    }

    // --- logs and attach ----------------------------------------------------------------------------------------

    /**
     * The log, framed per entry unless the container has a terminal. The headers go out with the first entry (or
     * the end), so an error of the engine (no such container, a log driver that cannot be read) is still an error
     * response; once entries flowed, a failure is reported in the stream as dockerd does.
     */
    private void logs(ApiRequest request, ApiResponse response) throws Exception {
        boolean stdout = request.bool("stdout", false);
        boolean stderr = request.bool("stderr", false);
        if (!stdout && !stderr) {
            throw EngineException.invalid("You must choose at least one stream");
        }
        boolean follow = request.bool("follow", false);
        boolean timestamps = request.bool("timestamps", false);
        request.bool("details", false);
        long since = LogTime.nanos("since", request.param("since"));
        long until = LogTime.nanos("until", request.param("until"));
        int tail = LogTime.tail(request.param("tail"));
        ContainerService service = containers.get();
        String name = request.variable("name");
        boolean tty = tty(service.inspect(name, false));
        OutputStream body = response.stream(200, ClientStream.mediaType(request, tty));
        FramedStreamSink sink = new FramedStreamSink(body, tty);
        try {
            service.logs(name, new LogOptions(stdout, stderr, follow, timestamps, tail, since, until), sink);
        } catch (RuntimeException e) {
            if (!response.isCommitted()) {
                throw e;
            }
            String message = "Error grabbing logs: " + ErrorStatus.message(e) + "\n";
            LOG.log(Level.DEBUG, () -> "logs of " + name + " failed after the stream started: " + message);
            byte[] line = message.getBytes(StandardCharsets.UTF_8);
            sink.write(1, line, 0, line.length);
        }
        sink.end();
    }

    /**
     * {@code docker attach}, {@code docker run} and {@code docker start -a}: see {@link ClientStream}. The framing
     * follows the container's terminal setting, so it is looked up before the engine attaches.
     */
    private void attach(ApiRequest request, ApiResponse response) throws Exception {
        AttachOptions options = new AttachOptions(request.bool("stdin", false), request.bool("stdout", false),
                request.bool("stderr", false), request.bool("logs", false), request.bool("stream", false),
                request.param("detachKeys", null));
        ContainerService service = containers.get();
        String name = request.variable("name");
        boolean tty = tty(service.inspect(name, false));
        ClientStream.serve(request, response, tty, sink -> service.attach(name, options, sink));
    }

    static boolean tty(ContainerDetails d) {
        return d.config() != null && Boolean.TRUE.equals(d.config().tty());
    }
}
