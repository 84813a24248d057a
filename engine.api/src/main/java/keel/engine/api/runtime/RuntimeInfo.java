package keel.engine.api.runtime;

import java.util.List;

/**
 * A runtime's facts for {@code docker info}: the cgroup version it found ("1" or "2") and the driver
 * ("cgroupfs"), whether exit codes of containers that exit while the daemon is down can be recovered, and
 * warnings for the operator (e.g. a controller missing, so --memory is ignored).
 */
public record RuntimeInfo(String cgroupVersion, String cgroupDriver, boolean exitCodesSurviveRestart,
        List<String> warnings) {}
