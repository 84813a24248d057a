package keel.engine.api.container;

import java.util.List;

/** {@code GET /containers/{id}/top}: column titles and one row per process. */
public record TopResult(List<String> titles, List<List<String>> processes) {}
