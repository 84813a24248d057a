package keel.engine.api.logging;

/**
 * What to read: the last {@code tail} entries (-1 for all), entries at or after {@code sinceNanos} and before
 * {@code untilNanos} (0 for no bound), and whether to follow new entries. Both streams are read; the engine
 * filters.
 */
public record LogReadOptions(int tail, long sinceNanos, long untilNanos, boolean follow) {}
