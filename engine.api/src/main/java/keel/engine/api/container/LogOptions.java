package keel.engine.api.container;

/**
 * {@code GET /containers/{id}/logs}: which streams, follow, timestamps, the last {@code tail} lines (-1 for all),
 * and the time window in nanoseconds since the epoch (0 for no bound).
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, boolean timestamps, int tail,
        long sinceNanos, long untilNanos) {}
