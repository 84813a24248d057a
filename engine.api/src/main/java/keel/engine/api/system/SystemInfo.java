package keel.engine.api.system;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /info} reports. {@code driverStatus} holds key/value pairs; {@code plugins} maps a kind
 * (Storage, Volume, Network, Log, Runtime) to the names of the drivers of that kind that are registered now;
 * {@code warnings} are sentences for the operator (a driver missing, a cgroup controller absent, ...).
 */
public record SystemInfo(
        String id,
        String name,
        int containers,
        int containersRunning,
        int containersPaused,
        int containersStopped,
        int images,
        String driver,
        List<String[]> driverStatus,
        String dockerRootDir,
        Map<String, List<String>> plugins,
        String loggingDriver,
        String cgroupDriver,
        String cgroupVersion,
        String kernelVersion,
        String operatingSystem,
        String osVersion,
        String osType,
        String architecture,
        int ncpu,
        long memTotal,
        String serverVersion,
        boolean debug,
        List<String> labels,
        boolean liveRestoreEnabled,
        String initBinary,
        List<String> securityOptions,
        List<String> warnings) {}
