package keel.engine.api.container;

import java.util.List;

/** {@code POST /containers/create}'s answer. */
public record CreateResult(String id, List<String> warnings) {}
