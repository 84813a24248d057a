package keel.engine.api.container;

/** A mount as {@code docker inspect} shows it under {@code Mounts}. */
public record MountPoint(String type, String name, String source, String destination, String driver, String mode,
        boolean rw, String propagation) {}
