package keel.engine.core.internal.network;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import keel.engine.api.errors.EngineException;

/**
 * Docker's filters for {@code GET /networks} and {@code POST /networks/prune} (daemon/network/filter.go and the
 * filters package): {@code name} and {@code id} match exactly or as a regular expression found anywhere,
 * {@code driver} and {@code scope} exactly, {@code label} every {@code key} / {@code key=value}, {@code type}
 * builtin or custom, {@code dangling} true or false.
 */
final class NetworkFilters {

    static final Set<String> LIST = Set.of("driver", "id", "label", "name", "scope", "type", "dangling");
    static final Set<String> PRUNE = Set.of("label", "label!", "until");

    private final Map<String, List<String>> filters;

    NetworkFilters(Map<String, List<String>> filters, Set<String> accepted) {
        this.filters = filters == null ? Map.of() : filters;
        for (String name : this.filters.keySet()) {
            if (!accepted.contains(name)) {
                throw EngineException.invalid("invalid filter '" + name + "'");
            }
        }
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

    List<String> get(String name) {
        List<String> v = filters.get(name);
        return v == null ? List.of() : v;
    }

    boolean contains(String name) {
        return !get(name).isEmpty();
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

    /** Docker's Args.Match: true without values; else an exact match or a regular expression found. */
    boolean match(String field, String source) {
        List<String> values = get(field);
        if (values.isEmpty()) {
            return true;
        }
        for (String v : values) {
            if (v.equals(source)) {
                return true;
            }
            try {
                if (Pattern.compile(v).matcher(source).find()) {
                    return true;
                }
            } catch (PatternSyntaxException ignored) {
                // not a regular expression: only the exact match counted
            }
        }
        return false;
    }

    /** Docker's Args.MatchKVList: every value's key present, with the value when one is given. */
    boolean matchLabels(String field, Map<String, String> labels) {
        List<String> values = get(field);
        if (values.isEmpty()) {
            return true;
        }
        for (String v : values) {
            int eq = v.indexOf('=');
            String key = eq < 0 ? v : v.substring(0, eq);
            String have = labels.get(key);
            if (have == null || (eq >= 0 && !v.substring(eq + 1).equals(have))) {
                return false;
            }
        }
        return true;
    }
}
