package keel.engine.api.network;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import keel.engine.api.container.EndpointSettings;

/**
 * The engine's networks, with Docker's semantics: the predefined {@code bridge}, {@code host} and {@code none}
 * networks and user-defined ones. Networks are named by full ID, unique ID prefix or name. Failures are
 * {@link keel.engine.api.errors.EngineException}s with Docker's kinds and messages.
 */
@ProviderType
public interface NetworkService {

    /** {@code POST /networks/create}; returns the new network's ID and warnings. */
    NetworkCreateResult create(NetworkCreateRequest request);

    /** {@code GET /networks}: filters driver, id, label, name, scope, type (builtin, custom), dangling. */
    List<NetworkDetails> list(Map<String, List<String>> filters);

    /** {@code GET /networks/{id}}. */
    NetworkDetails inspect(String network);

    /** {@code DELETE /networks/{id}}: refused while containers are connected, and for predefined networks. */
    void remove(String network);

    /** {@code POST /networks/prune}: removes user-defined networks no container uses. */
    List<String> prune(Map<String, List<String>> filters);

    /** {@code POST /networks/{id}/connect}, also for running containers. */
    void connect(String network, String container, EndpointSettings endpoint);

    /** {@code POST /networks/{id}/disconnect}. */
    void disconnect(String network, String container, boolean force);
}
