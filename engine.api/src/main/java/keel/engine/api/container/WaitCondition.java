package keel.engine.api.container;

/** {@code POST /containers/{id}/wait?condition=}: what to wait for. */
public enum WaitCondition {
    /** The container is not running (returns at once if it is not). */
    NOT_RUNNING,
    /** The container's next exit, even if it is not running now. */
    NEXT_EXIT,
    /** The container has been removed. */
    REMOVED
}
