package keel.engine.api.container;

/**
 * Docker's {@code Mount} in a create request ({@code --mount}): {@code type} is bind, volume or tmpfs.
 */
public record MountSpec(String type, String source, String target, Boolean readOnly, String consistency,
        BindOptions bindOptions, TmpfsOptions tmpfsOptions) {

    /** {@code propagation}: private, rprivate, shared, rshared, slave, rslave. */
    public record BindOptions(String propagation, Boolean nonRecursive, Boolean createMountpoint) {}

    public record TmpfsOptions(Long sizeBytes, Integer mode) {}
}
