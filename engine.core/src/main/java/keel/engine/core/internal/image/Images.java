package keel.engine.core.internal.image;

import java.util.List;

import keel.engine.core.internal.image.layer.LayerDb;

/**
 * The image store as the container side of the engine uses it (registered as a service next to
 * {@link keel.engine.api.image.ImageService}): resolve a name to a local image and its layers, keep an image from
 * being deleted while a container is being made from it, and own containers' read-write layers, whose records
 * keep the image layers below them alive (even when the image itself is force-deleted, as in Docker) and which the
 * startup reconciliation must not mistake for leftovers.
 */
public interface Images {

    /** A local image: its ID ({@code sha256:...}), parsed config and layers, base first. */
    record LocalImage(String id, ImageConfig config, List<LayerDb.Layer> layers) {
        /** The storage driver's id (cache-id) of the top layer, the parent of a container's layer; null if none. */
        public String topLayerId() {
            return layers.isEmpty() ? null : layers.get(layers.size() - 1).cacheId();
        }

        /** The ChainID of the top layer, or null. */
        public String topChainId() {
            return layers.isEmpty() ? null : layers.get(layers.size() - 1).chainId();
        }
    }

    /** A container's read-write layer: the driver's layer {@code mountId} on top of image {@code imageId}. */
    record ContainerLayer(String containerId, String mountId, String imageId, String parentChainId) {}

    /**
     * Resolves a name as Docker does: a full or short image ID (with or without {@code sha256:}), or a reference
     * ({@code busybox} meaning {@code busybox:latest}).
     *
     * @throws keel.engine.api.errors.EngineException NOT_FOUND ({@code No such image: busybox:latest}) or
     *         INVALID_PARAMETER for a malformed reference
     */
    LocalImage resolve(String name);

    /**
     * Marks image {@code imageId} as in use by container {@code containerId} (counted): deleting it is refused,
     * even forced, until {@link #unpin}. Meant for the window in which a container is being created.
     */
    void pin(String imageId, String containerId);

    /** Releases one {@link #pin}. */
    void unpin(String imageId, String containerId);

    /**
     * Creates and records the read-write layer of container {@code containerId} on top of image {@code imageId}'s
     * layers (an empty rootfs for an image without layers).
     *
     * @throws keel.engine.api.errors.EngineException CONFLICT when the container has a layer already
     */
    ContainerLayer createContainerLayer(String containerId, String imageId);

    /**
     * {@link #createContainerLayer(String, String)}, for a container whose layer need not survive a crash when
     * {@code ephemeral} (a {@code --rm} container, which the next start removes whatever its state): the layer and
     * its record are then written without flushes to disk.
     */
    ContainerLayer createContainerLayer(String containerId, String imageId, boolean ephemeral);

    /** The read-write layer of a container, or null. */
    ContainerLayer containerLayer(String containerId);

    /** The containers that have a read-write layer recorded. */
    java.util.Set<String> containerLayerOwners();

    /** Removes a container's read-write layer and releases the image layers only it kept; no-op if none. */
    void removeContainerLayer(String containerId);

    /**
     * Takes a container's read-write layer out of the records now, and returns the rest of the removal (the
     * driver's layer, directories, image layers only it kept) to run later, e.g. after the container is reported
     * removed. If the daemon dies before that runs, the next start removes the driver layer no record names.
     */
    Runnable detachContainerLayer(String containerId);
}
