package keel.storage.overlay.internal;

/** Which kernel interface mounts overlays. */
public enum MountApi {
    /**
     * fsopen(2) with one {@code lowerdir+} per layer when the kernel takes it (Linux 6.8 and later): no limit on the
     * options' length. Otherwise as {@link #LEGACY}.
     */
    AUTO,
    /** mount(2) only, whose option string the kernel copies one page of; deep chains use short relative paths. */
    LEGACY
}
