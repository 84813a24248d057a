package keel.cli.internal.container;

import java.io.IOException;
import java.util.Map;

import keel.cli.internal.command.CliException;
import keel.cli.internal.http.EngineClient;

/** The few inspect fields start, attach, exec and logs decide on. */
record ContainerInfo(String id, boolean tty, boolean openStdin, boolean autoRemove, boolean running, boolean paused,
        boolean restarting) {

    static ContainerInfo inspect(EngineClient client, String container) throws IOException, CliException {
        Object json = client.getJson(ContainerIds.path(ContainerIds.trim(container), "/json"), null);
        Map<?, ?> c = json instanceof Map ? (Map<?, ?>) json : Map.of();
        Map<?, ?> config = map(c.get("Config"));
        Map<?, ?> host = map(c.get("HostConfig"));
        Map<?, ?> state = map(c.get("State"));
        return new ContainerInfo(c.get("Id") == null ? container : c.get("Id").toString(), yes(config.get("Tty")),
                yes(config.get("OpenStdin")), yes(host.get("AutoRemove")), yes(state.get("Running")),
                yes(state.get("Paused")), yes(state.get("Restarting")));
    }

    /** docker attach's state check, with its messages. */
    void checkAttachable() throws CliException {
        if (!running) {
            throw new CliException(1, "You cannot attach to a stopped container, start it first");
        }
        if (paused) {
            throw new CliException(1, "You cannot attach to a paused container, unpause it first");
        }
        if (restarting) {
            throw new CliException(1, "You cannot attach to a restarting container, wait until it is running");
        }
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map ? (Map<?, ?>) o : Map.of();
    }

    private static boolean yes(Object o) {
        return Boolean.TRUE.equals(o);
    }
}
