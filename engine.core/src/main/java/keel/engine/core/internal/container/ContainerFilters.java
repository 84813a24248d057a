package keel.engine.core.internal.container;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import keel.engine.api.errors.EngineException;

/**
 * Docker's filter arguments for containers ({@code filters={"status":["exited"],"label":["a=b"]}}), with the
 * matching rules of its filters package: {@code Match} is an exact match or a regular expression found anywhere,
 * {@code MatchKVList} needs every {@code key} / {@code key=value} among the labels.
 */
final class ContainerFilters {

    static final Set<String> LIST = Set.of("ancestor", "before", "exited", "id", "isolation", "label", "name",
            "status", "health", "since", "volume", "network", "is-task", "publish", "expose");
    static final Set<String> PRUNE = Set.of("label", "label!", "until");
    static final List<String> STATES = List.of("created", "running", "paused", "restarting", "removing", "exited",
            "dead");
    static final List<String> HEALTH = List.of("starting", "healthy", "unhealthy", "none");

    private final Map<String, List<String>> filters;

    ContainerFilters(Map<String, List<String>> filters, Set<String> accepted) {
        this.filters = filters == null ? Map.of() : filters;
        for (String name : this.filters.keySet()) {
            if (!accepted.contains(name)) {
                throw EngineException.invalid("invalid filter '" + name + "'");
            }
        }
    }

    boolean contains(String name) {
        List<String> v = filters.get(name);
        return v != null && !v.isEmpty();
    }

    List<String> get(String name) {
        List<String> v = filters.get(name);
        return v == null ? List.of() : v;
    }

    /** Docker's Args.Match: true without values; else an exact match or a regexp found in {@code source}. */
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
                // Docker skips values that are not regular expressions
            }
        }
        return false;
    }

    /** Docker's Args.MatchKVList. */
    boolean matchLabels(String field, Map<String, String> labels) {
        List<String> values = get(field);
        if (values.isEmpty()) {
            return true;
        }
        if (labels == null || labels.isEmpty()) {
            return false;
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

    /** Docker's GetBoolOrDefault. */
    boolean bool(String name, boolean defaultValue) {
        List<String> v = get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        boolean isTrue = false;
        boolean isFalse = false;
        for (String s : v) {
            String l = s.toLowerCase(Locale.ROOT);
            isTrue |= l.equals("true") || l.equals("1");
            isFalse |= l.equals("false") || l.equals("0");
        }
        if (v.size() > 1 || isTrue == isFalse) {
            throw EngineException.invalid("invalid filter '" + name + "=" + String.join(",", v) + "'");
        }
        return isTrue;
    }
}
