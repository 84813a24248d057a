package keel.engine.api.container;

import java.util.List;

/** {@code POST /containers/prune}'s answer. */
public record PruneReport(List<String> containersDeleted, long spaceReclaimed) {}
