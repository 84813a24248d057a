package keel.engine.core.internal.container;

import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.core.internal.filter.FilterArgs;

/**
 * Docker's filter arguments for containers ({@code filters={"status":["exited"],"label":["a=b"]}}), with the
 * matching rules of its filters package: {@code Match} is an exact match or a regular expression found anywhere,
 * {@code MatchKVList} needs every {@code key} / {@code key=value} among the labels.
 */
final class ContainerFilters extends FilterArgs {

    static final Set<String> LIST = Set.of("ancestor", "before", "exited", "id", "isolation", "label", "name",
            "status", "health", "since", "volume", "network", "is-task", "publish", "expose");
    static final Set<String> PRUNE = Set.of("label", "label!", "until");
    static final List<String> STATES = List.of("created", "running", "paused", "restarting", "removing", "exited",
            "dead");
    static final List<String> HEALTH = List.of("starting", "healthy", "unhealthy", "none");

    ContainerFilters(Map<String, List<String>> filters, Set<String> accepted) {
        super(filters, accepted);
    }
}
