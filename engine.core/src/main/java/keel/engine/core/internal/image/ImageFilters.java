package keel.engine.core.internal.image;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import keel.engine.api.errors.EngineException;

/**
 * Docker's filter arguments ({@code filters={"dangling":["true"],"label":["a=b"]}}) as the image list and prune
 * read them: accepted names checked, booleans and label lists interpreted with Docker's rules and messages.
 */
final class ImageFilters {

    static final Set<String> LIST_FILTERS = Set.of("dangling", "label", "before", "since", "reference", "until");
    static final Set<String> PRUNE_FILTERS = Set.of("dangling", "label", "label!", "until");

    private final Map<String, List<String>> filters;

    ImageFilters(Map<String, List<String>> filters, Set<String> accepted) {
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

    /** Docker's {@code GetBoolOrDefault}: one of true/1 or false/0, else an invalid-filter error. */
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

    /**
     * Docker's {@code MatchKVList}: every {@code key} or {@code key=value} of the filter is among {@code labels}.
     * True when the filter is absent.
     */
    boolean matchLabels(String name, Map<String, String> labels) {
        List<String> v = get(name);
        if (v.isEmpty()) {
            return true;
        }
        if (labels == null || labels.isEmpty()) {
            return false;
        }
        for (String f : v) {
            int eq = f.indexOf('=');
            if (eq < 0) {
                if (!labels.containsKey(f)) {
                    return false;
                }
            } else if (!f.substring(eq + 1).equals(labels.get(f.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** The {@code until} time, or null. Several values: the earliest, as Docker's image list uses them. */
    Instant until(Instant now, boolean single) {
        List<String> v = get("until");
        if (v.isEmpty()) {
            return null;
        }
        if (single && v.size() > 1) {
            throw EngineException.invalid("more than one until filter specified");
        }
        Instant min = null;
        for (String s : v) {
            Instant t = DockerTime.parseTimestamp(s, now);
            if (min == null || t.isBefore(min)) {
                min = t;
            }
        }
        return min;
    }
}
