package keel.engine.core.internal.container;

import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.EndpointSettings;

/**
 * A container's {@code config.v2.json}, shaped like Docker's (its host config is in {@code hostconfig.json}).
 * Times are RFC 3339 with nanoseconds; a zero time ({@code 0001-01-01T00:00:00Z}) means "not yet".
 *
 * @param runtime  the runtime that runs it ({@code HostConfig.Runtime} as chosen at create)
 * @param runGeneration counts starts, so that a late event of an earlier run is told apart
 */
record StoredContainer(
        String id,
        String created,
        String path,
        List<String> args,
        ContainerConfig config,
        State state,
        String image,
        Network networkSettings,
        String logPath,
        String name,
        String driver,
        String os,
        int restartCount,
        boolean hasBeenStartedBefore,
        boolean hasBeenManuallyStopped,
        String hostnamePath,
        String hostsPath,
        String resolvConfPath,
        String runtime,
        long runGeneration) {

    /** Docker's {@code State} as persisted. */
    record State(boolean running, boolean paused, boolean restarting, boolean oomKilled, boolean dead, long pid,
            int exitCode, String error, String startedAt, String finishedAt) {}

    /** The part of {@code NetworkSettings} Keel keeps. */
    record Network(String sandboxID, String sandboxKey, Map<String, EndpointSettings> networks) {}
}
