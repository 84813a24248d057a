package keel.engine.api.storage;

/**
 * How deletions are represented in a directory that holds a layer's content.
 *
 * <p>A tar diff marks a deleted path {@code p} with an entry {@code .wh.p} and a directory whose lower content is
 * hidden with an entry {@code .wh..wh..opq} inside it (the OCI image spec's whiteouts). On disk a driver keeps one
 * of these forms.
 */
public enum WhiteoutFormat {
    /**
     * Overlayfs: a deleted path is a character device 0/0 of the same name; an opaque directory carries the xattr
     * {@code trusted.overlay.opaque=y}.
     */
    OVERLAY,
    /**
     * Applied in place: the directory holds a full tree, a deleted path is simply absent and an opaque directory's
     * earlier content is removed when the diff is applied (as the vfs driver keeps layers).
     */
    APPLIED
}
