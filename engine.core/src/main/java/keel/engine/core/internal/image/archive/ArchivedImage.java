package keel.engine.core.internal.image.archive;

import java.nio.file.Path;
import java.util.List;

import keel.engine.core.internal.image.reference.Reference;

/**
 * One image found in an archive: its config bytes (verified against their digest where the archive names one),
 * its layer blobs in rootfs order and the names the archive gives it.
 *
 * @param parentId the image's parent as {@code docker save} records it ({@code Parent}), or null
 */
public record ArchivedImage(byte[] config, List<Layer> layers, List<Reference> tags, String parentId) {

    /**
     * A layer blob: a file of the spool, possibly compressed.
     *
     * @param digest the digest the archive gives the blob ({@code sha256:...}), to verify while reading; null
     *               when the archive does not address the blob by content ({@code <id>/layer.tar})
     * @param size   the size the archive declares, or -1
     */
    public record Layer(Path blob, String digest, long size) {}
}
