package keel.engine.core.internal.image;

/**
 * Which images containers use. The container store implements it; until containers exist, nothing is in use.
 */
public interface ImageUsage {

    ImageUsage NONE = imageId -> 0;

    /** Number of containers (running or not) created from the image with this ID ({@code sha256:...}). */
    int containersUsing(String imageId);

    /**
     * The ID of a container using the image that is running ({@code running}) or not, for Docker's conflict
     * messages ({@code image is being used by stopped container 1a2b3c4d5e6f}); null when there is none. A running
     * container makes deletion impossible even when forced.
     */
    default String containerUsing(String imageId, boolean running) {
        return null;
    }
}
