package keel.engine.api.system;

/** What {@code GET /version} reports about the engine itself. */
public record VersionInfo(String version, String gitCommit, String buildTime, String os, String arch,
        String kernelVersion, String javaVersion) {}
