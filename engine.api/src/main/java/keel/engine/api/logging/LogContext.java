package keel.engine.api.logging;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A container as a log driver sees it: its ID and name, its image (as named and by ID), its command, its labels
 * and environment (for the {@code labels}/{@code env} log options and tag templates), the directory the engine
 * keeps for it (a file-based driver writes there, e.g. {@code <id>-json.log}), and the log options.
 */
public record LogContext(String containerId, String containerName, String imageName, String imageId, String command,
        Map<String, String> labels, List<String> env, Path containerDir, Map<String, String> options) {

    /** A context without image ID, command, labels or environment. */
    public LogContext(String containerId, String containerName, String imageName, Path containerDir,
            Map<String, String> options) {
        this(containerId, containerName, imageName, "", "", Map.of(), List.of(), containerDir, options);
    }
}
