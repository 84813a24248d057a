package keel.engine.core.internal.image;

/**
 * Which images containers use. The container store implements it; until containers exist, nothing is in use.
 */
public interface ImageUsage {

    ImageUsage NONE = imageId -> 0;

    /** Number of containers (running or not) created from the image with this ID ({@code sha256:...}). */
    int containersUsing(String imageId);
}
