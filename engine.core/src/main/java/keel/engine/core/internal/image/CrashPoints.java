package keel.engine.core.internal.image;

/**
 * Named points inside the store's multi-step operations (between the renames that make up a load, an import or a
 * removal). Tests install an implementation that stops the calling thread at a point, which leaves the disk exactly
 * as a {@code kill -9} there would, and then check what the next start repairs. The daemon uses {@link #NONE}.
 */
@FunctionalInterface
public interface CrashPoints {

    CrashPoints NONE = point -> {};

    void reached(String point);
}
