package keel.engine.api.image;

import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;

/** {@code GET /images/{name}/json}. {@code created} is RFC 3339 with nanoseconds, as Docker writes it. */
public record ImageDetails(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String parent,
        String comment,
        String created,
        String dockerVersion,
        String author,
        ContainerConfig config,
        String architecture,
        String variant,
        String os,
        String osVersion,
        long size,
        GraphDriver graphDriver,
        RootFS rootFS,
        Metadata metadata) {

    /** The storage driver holding the image and its driver-specific data (for overlay: LowerDir, ...). */
    public record GraphDriver(String name, Map<String, String> data) {}

    /** {@code type} is always {@code layers}; {@code layers} are DiffIDs, base layer first. */
    public record RootFS(String type, List<String> layers) {}

    public record Metadata(String lastTagTime) {}
}
