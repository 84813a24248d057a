package keel.cli.internal.container;

import java.io.IOException;

import keel.cli.internal.http.EngineClient;
import keel.cli.internal.http.Query;

/** One POST to a container's endpoint with an empty answer (start, stop, kill, pause...), as docker's client sends it. */
final class SimpleActions {

    private SimpleActions() {
    }

    static void post(EngineClient client, String container, String action, Query query) throws IOException {
        client.readRaw(client.call("POST", ContainerIds.path(container, action), query, null, null, null));
    }
}
