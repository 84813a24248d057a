package keel.engine.api.logging;

import java.nio.file.Path;
import java.util.Map;

/**
 * A container as a log driver sees it: its ID and name, its image, the directory the engine keeps for it (a
 * file-based driver writes there, e.g. {@code <id>-json.log}), and the log options.
 */
public record LogContext(String containerId, String containerName, String imageName, Path containerDir,
        Map<String, String> options) {}
