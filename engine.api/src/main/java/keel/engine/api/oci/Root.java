package keel.engine.api.oci;

/** The container's root filesystem; {@code path} is relative to the bundle or absolute. */
public record Root(String path, Boolean readonly) {}
