package keel.engine.core.internal.network;

import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.filter.FilterArgs;

/**
 * Docker's filters for {@code GET /networks} and {@code POST /networks/prune} (daemon/network/filter.go and the
 * filters package): {@code name} and {@code id} match exactly or as a regular expression found anywhere,
 * {@code driver} and {@code scope} exactly, {@code label} every {@code key} / {@code key=value}, {@code type}
 * builtin or custom, {@code dangling} true or false.
 */
final class NetworkFilters extends FilterArgs {

    static final Set<String> LIST = Set.of("driver", "id", "label", "name", "scope", "type", "dangling");
    static final Set<String> PRUNE = Set.of("label", "label!", "until");

    NetworkFilters(Map<String, List<String>> filters, Set<String> accepted) {
        super(filters, accepted);
        for (String t : get("type")) {
            if (!t.equals("builtin") && !t.equals("custom")) {
                throw EngineException.invalid("invalid filter: 'type'='" + t + "'");
            }
        }
        List<String> dangling = get("dangling");
        if (dangling.size() > 1) {
            throw EngineException.invalid("got more than one value for filter key \"dangling\"");
        }
        if (dangling.size() == 1 && !List.of("0", "1", "true", "false").contains(dangling.get(0))) {
            throw EngineException.invalid("invalid value for filter 'dangling', must be \"true\" (or \"1\"), or "
                    + "\"false\" (or \"0\")");
        }
    }

    /** Whether a network passes every filter; {@code endpoints} is how many containers it has. */
    boolean accepts(NetworkRecord n, int endpoints) {
        if (contains("driver") && !get("driver").contains(n.driver())) {
            return false;
        }
        if (!match("name", n.name()) || !match("id", n.id())) {
            return false;
        }
        if (!matchLabels("label", n.labels())) {
            return false;
        }
        if (contains("scope") && !get("scope").contains(n.scope())) {
            return false;
        }
        if (contains("dangling")) {
            boolean danglingOnly = get("dangling").get(0).equals("1") || get("dangling").get(0).equals("true");
            boolean used = n.predefined() || endpoints > 0;
            if (danglingOnly == used) {
                return false;
            }
        }
        if (contains("type")) {
            boolean builtin = n.predefined();
            if (!(builtin ? get("type").contains("builtin") : get("type").contains("custom"))) {
                return false;
            }
        }
        return true;
    }
}
