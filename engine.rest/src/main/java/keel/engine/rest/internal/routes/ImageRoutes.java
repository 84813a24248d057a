package keel.engine.rest.internal.routes;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import keel.engine.api.errors.EngineException;
import keel.engine.api.image.HistoryEntry;
import keel.engine.api.image.ImageDetails;
import keel.engine.api.image.ImageService;
import keel.engine.api.image.ImageSummary;
import keel.engine.api.image.ImportOptions;
import keel.engine.rest.internal.http.ApiRequest;
import keel.engine.rest.internal.http.ApiResponse;
import keel.engine.rest.internal.http.ApiVersion;
import keel.engine.rest.internal.http.ErrorStatus;
import keel.engine.rest.internal.http.Route;
import keel.engine.rest.internal.json.DockerJson;
import keel.engine.rest.internal.json.JsonMessageStream;

/**
 * {@code /images/...}: list, inspect, history, tag, remove, prune, load, save and import. Image names sit in the
 * middle of paths and contain {@code /} and {@code :}, so the routes with a name are matched from the end.
 */
public final class ImageRoutes {
    private static final System.Logger LOG = System.getLogger(ImageRoutes.class.getName());

    /** What Go writes for a zero time.Time, which dockerd sends for an image never tagged. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** Big enough that a layer's tar headers do not each become an HTTP chunk. */
    private static final int SAVE_BUFFER = 64 * 1024;

    private final ServiceRef<ImageService> images;

    public ImageRoutes(ServiceRef<ImageService> images) {
        this.images = images;
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/images/json", this::list),
                Route.get("/images/get", (rq, rs) -> save(rq.params("names"), rs)),
                Route.get("/images/{name}/get", (rq, rs) -> save(List.of(rq.variable("name")), rs)),
                Route.get("/images/{name}/history", this::history),
                Route.get("/images/{name}/json", this::inspect),
                Route.post("/images/load", this::load),
                Route.post("/images/create", this::create),
                Route.post("/images/prune", this::prune).since(new ApiVersion(1, 25)),
                Route.post("/images/{name}/tag", this::tag),
                Route.delete("/images/{name}", this::remove));
    }

    private void list(ApiRequest request, ApiResponse response) throws Exception {
        Map<String, List<String>> filters = new LinkedHashMap<>(request.filters());
        // API < 1.25 named a reference glob in its own parameter.
        String legacy = request.param("filter");
        if (request.version().before(1, 25) && legacy != null && !legacy.isEmpty()
                && !filters.containsKey("reference")) {
            filters.put("reference", List.of(legacy));
        }
        // Parsed for their 400 on a bad value; the summaries carry no manifests or shared sizes yet.
        request.bool("shared-size", false);
        request.bool("digests", false);
        request.bool("manifests", false);
        List<ImageSummary> list = images.get().list(request.bool("all", false), filters);
        DockerJson json = response.json();
        ArrayNode out = json.array();
        for (ImageSummary s : list) {
            out.add(summary(s, request.version(), json));
        }
        response.json(200, out);
    }

    /**
     * ImageSummary: every key present and never null (RepoTags/RepoDigests [] since API 1.43, {@code <none>}
     * placeholders before; Labels {}; ParentId ""), VirtualSize = Size for clients before 1.44.
     */
    static ObjectNode summary(ImageSummary s, ApiVersion version, DockerJson json) {
        List<String> tags = s.repoTags() == null ? List.of() : s.repoTags();
        List<String> digests = s.repoDigests() == null ? List.of() : s.repoDigests();
        if (version.before(1, 43) && tags.isEmpty() && digests.isEmpty()) {
            tags = List.of("<none>:<none>");
            digests = List.of("<none>@<none>");
        }
        ObjectNode node = json.tree(new ImageSummary(s.id(), text(s.parentId()), tags, digests, s.created(),
                s.size(), s.sharedSize(), s.labels() == null ? Map.of() : s.labels(), s.containers()));
        if (version.before(1, 44)) {
            node.put("VirtualSize", s.size());
        }
        return node;
    }

    private void inspect(ApiRequest request, ApiResponse response) throws Exception {
        ImageDetails d = images.get().inspect(request.variable("name"));
        ObjectNode node = response.json().tree(details(d));
        if (request.version().before(1, 44)) {
            node.put("VirtualSize", d.size());
            if (d.created() == null) {
                node.put("Created", ZERO_TIME);
            }
        }
        response.json(200, node);
    }

    /**
     * ImageInspect as dockerd 28 writes it: RepoTags/RepoDigests [] not null; Parent, Comment, DockerVersion,
     * Author, Architecture, Os always present as strings; GraphDriver {Name, Data} and RootFS always present;
     * Metadata.LastTagTime Go's zero time when never tagged.
     */
    static ImageDetails details(ImageDetails d) {
        ImageDetails.GraphDriver driver = d.graphDriver() == null
                ? new ImageDetails.GraphDriver("", Map.of())
                : new ImageDetails.GraphDriver(text(d.graphDriver().name()),
                        d.graphDriver().data() == null ? Map.of() : d.graphDriver().data());
        ImageDetails.RootFS rootFS = d.rootFS() == null ? new ImageDetails.RootFS("layers", null) : d.rootFS();
        ImageDetails.Metadata metadata = d.metadata() == null || d.metadata().lastTagTime() == null
                ? new ImageDetails.Metadata(ZERO_TIME)
                : d.metadata();
        return new ImageDetails(d.id(), d.repoTags() == null ? List.of() : d.repoTags(),
                d.repoDigests() == null ? List.of() : d.repoDigests(), text(d.parent()), text(d.comment()),
                d.created(), text(d.dockerVersion()), text(d.author()), d.config(), text(d.architecture()),
                d.variant(), text(d.os()), d.osVersion(), d.size(), driver, rootFS, metadata);
    }

    private void history(ApiRequest request, ApiResponse response) throws Exception {
        List<HistoryEntry> out = new ArrayList<>();
        for (HistoryEntry h : images.get().history(request.variable("name"))) {
            out.add(new HistoryEntry(h.id(), h.created(), text(h.createdBy()), h.tags(), h.size(),
                    text(h.comment())));
        }
        response.json(200, out);
    }

    private void tag(ApiRequest request, ApiResponse response) throws Exception {
        RepositoryTag target = RepositoryTag.of(request.param("repo"), request.param("tag"));
        if (target.repository() == null) {
            throw EngineException.invalid("repository name must not be empty: use repo=NAME[&tag=TAG]");
        }
        images.get().tag(request.variable("name"), target.repository(), target.tag() == null ? "" : target.tag());
        response.status(201);
    }

    private void remove(ApiRequest request, ApiResponse response) throws Exception {
        String name = request.variable("name");
        if (name.isBlank()) {
            throw EngineException.invalid("image name cannot be blank");
        }
        boolean force = request.bool("force", false);
        boolean noPrune = request.bool("noprune", false);
        response.json(200, images.get().remove(name, force, noPrune));
    }

    private void prune(ApiRequest request, ApiResponse response) throws Exception {
        response.json(200, images.get().prune(request.filters()));
    }

    /**
     * {@code docker load}: the archive streams from the request body into the service while progress streams back.
     * quiet defaults to true, as in dockerd; the {@code Loaded image: ...} lines are sent either way.
     */
    private void load(ApiRequest request, ApiResponse response) throws Exception {
        boolean quiet = request.bool("quiet", true);
        ImageService service = images.get();
        JsonMessageStream stream = new JsonMessageStream(response.stream(200, ApiResponse.JSON), response.json(),
                quiet);
        try {
            for (String line : service.load(request.body(), stream)) {
                if (!stream.sent(line)) {
                    stream.message(line);
                }
            }
        } catch (RuntimeException e) {
            failInStream(stream, "load", e);
        }
        stream.close();
    }

    /**
     * {@code POST /images/create}: import a rootfs tarball from the body ({@code fromSrc=-}). Pulling
     * ({@code fromImage}) and importing from a URL need a registry client Keel does not have yet.
     */
    private void create(ApiRequest request, ApiResponse response) throws Exception {
        String fromImage = request.param("fromImage");
        String fromSrc = request.param("fromSrc");
        if (fromImage != null && !fromImage.isEmpty()) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                    "pulling from a registry is not supported yet: cannot pull " + fromImage
                            + "; use docker load with an archive made by docker save");
        }
        if (fromSrc == null || fromSrc.isEmpty()) {
            throw EngineException.invalid("either fromImage (pull) or fromSrc (import) is required");
        }
        if (!fromSrc.equals("-")) {
            throw new EngineException(EngineException.Kind.NOT_IMPLEMENTED,
                    "importing from a URL is not supported yet: download " + fromSrc
                            + " and import the file (fromSrc=-)");
        }
        RepositoryTag name = RepositoryTag.of(request.param("repo"), request.param("tag"));
        // dockerd's default commit message names the source.
        String message = request.param("message", "Imported from " + fromSrc);
        ImportOptions options = new ImportOptions(name.repository(), name.tag(), request.params("changes"),
                message, request.param("platform", null));
        ImageService service = images.get();
        JsonMessageStream stream = new JsonMessageStream(response.stream(200, ApiResponse.JSON), response.json(),
                false);
        try {
            stream.status(service.importImage(request.body(), options, stream));
        } catch (RuntimeException e) {
            failInStream(stream, "import", e);
        }
        stream.close();
    }

    /**
     * Before the first message the failure is still an ordinary error response with its own status; after it,
     * dockerd's way applies: an {@code errorDetail} message in the 200 stream.
     */
    private static void failInStream(JsonMessageStream stream, String what, RuntimeException e) {
        if (!stream.started()) {
            throw e;
        }
        String message = ErrorStatus.message(e);
        if (ErrorStatus.of(e) == 500) {
            LOG.log(Level.ERROR, () -> what + " failed after the response started: " + message, e);
        }
        stream.error(message);
    }

    /** {@code docker save}: a tar streamed as the service writes it. */
    private void save(List<String> names, ApiResponse response) throws Exception {
        if (names.isEmpty()) {
            throw EngineException.invalid("no image to save: name at least one with names=NAME");
        }
        ImageService service = images.get();
        OutputStream body = response.stream(200, "application/x-tar");
        // A failure while the tar is still in this buffer becomes a proper error response; after the first chunk
        // the handler aborts the connection so the client sees a truncated transfer, never a short valid tar.
        OutputStream out = new BufferedOutputStream(body, SAVE_BUFFER);
        service.save(names, out);
        out.flush();
        body.close();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
