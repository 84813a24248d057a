package keel.engine.api.image;

import java.util.List;

/** {@code POST /images/prune}'s answer. */
public record PruneReport(List<DeleteItem> imagesDeleted, long spaceReclaimed) {}
