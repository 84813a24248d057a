package keel.engine.api.container;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's containers, with Docker's semantics. Containers are named by full ID, unique ID prefix or name
 * (with or without the leading "/"). Failures are {@link keel.engine.api.errors.EngineException}s with Docker's
 * kinds and messages ({@code No such container: x} → NOT_FOUND, a name in use → CONFLICT, ...).
 */
@ProviderType
public interface ContainerService {

    /** {@code POST /containers/create?name=}; a null or empty name gets a generated one. */
    CreateResult create(String name, CreateRequest request);

    /**
     * {@code POST /containers/{id}/start}. A running container throws {@link
     * keel.engine.api.errors.EngineException.Kind#NOT_MODIFIED} (304 in the API, not an error to the client), a
     * paused one CONFLICT, as dockerd decides them.
     */
    void start(String id);

    /**
     * {@code POST /containers/{id}/stop}: the stop signal (the container's, default SIGTERM), then SIGKILL after
     * {@code timeoutSeconds} (null: the container's StopTimeout, default 10; -1: wait forever).
     */
    void stop(String id, Integer timeoutSeconds, String signal);

    void restart(String id, Integer timeoutSeconds, String signal);

    /** {@code POST /containers/{id}/kill}; signal by name ({@code SIGHUP}, {@code HUP}) or number, default KILL. */
    void kill(String id, String signal);

    /** Completes when the condition holds; the exit code is the container's last. */
    CompletionStage<WaitResult> await(String id, WaitCondition condition);

    /** {@code DELETE /containers/{id}}: {@code force} kills a running container first. */
    void remove(String id, boolean force, boolean removeVolumes);

    void pause(String id);

    void unpause(String id);

    void rename(String id, String newName);

    /** {@code GET /containers/{id}/top}: {@code psArgs} as ps(1) takes them (default "-ef"). */
    TopResult top(String id, String psArgs);

    ContainerDetails inspect(String id, boolean size);

    /** {@code GET /containers/json}: filters id, name, label, status, ancestor, exited, before, since, ... */
    List<ContainerSummary> list(boolean all, int limit, boolean size, Map<String, List<String>> filters);

    PruneReport prune(Map<String, List<String>> filters);

    /** {@code POST /containers/{id}/resize} of the container's terminal. */
    void resize(String id, int height, int width);

    /**
     * {@code POST /containers/{id}/attach}: output (replayed and/or live) goes to {@code sink} until the container
     * exits or the client detaches; the returned attachment takes the client's input.
     */
    Attachment attach(String id, AttachOptions options, StreamSink sink);

    /**
     * {@code GET /containers/{id}/logs}: reads (and with follow, keeps reading) the log into {@code sink}; returns
     * when done. Each write carries one entry (with its timestamp prefixed when asked).
     */
    void logs(String id, LogOptions options, StreamSink sink);

    /** {@code POST /containers/{id}/exec}: returns the exec ID. */
    String execCreate(String id, ExecConfig config);

    /**
     * {@code POST /exec/{id}/start}: starts the exec; its output goes to {@code sink} (unless detached) until it
     * exits.
     */
    Attachment execStart(String execId, boolean detach, boolean tty, StreamSink sink);

    ExecDetails execInspect(String execId);

    void execResize(String execId, int height, int width);
}
