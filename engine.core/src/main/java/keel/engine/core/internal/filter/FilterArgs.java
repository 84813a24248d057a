package keel.engine.core.internal.filter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import keel.engine.api.errors.EngineException;

/**
 * Docker's filter arguments ({@code filters={"label":["a=b"],"dangling":["true"]}}) with the matching rules of its
 * filters package, shared by the container, image and network filters: names checked against what the list or
 * prune accepts, {@code Match}, {@code MatchKVList} and {@code GetBoolOrDefault} with Docker's messages.
 */
public class FilterArgs {

    private final Map<String, List<String>> filters;

    protected FilterArgs(Map<String, List<String>> filters, Set<String> accepted) {
        this.filters = filters == null ? Map.of() : filters;
        for (String name : this.filters.keySet()) {
            if (!accepted.contains(name)) {
                throw EngineException.invalid("invalid filter '" + name + "'");
            }
        }
    }

    /** The values of a filter; empty when it is absent. */
    public final List<String> get(String name) {
        List<String> v = filters.get(name);
        return v == null ? List.of() : v;
    }

    public final boolean contains(String name) {
        return !get(name).isEmpty();
    }

    /**
     * Docker's {@code Match}: true when the filter is absent; else one value equals {@code source} or, read as a
     * regular expression, is found anywhere in it. Values that are not regular expressions only match exactly.
     */
    public final boolean match(String field, String source) {
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
                // as Docker: skipped, the exact match was the only chance
            }
        }
        return false;
    }

    /** Docker's {@code MatchKVList}: every {@code key} or {@code key=value} is among {@code labels}. */
    public final boolean matchLabels(String field, Map<String, String> labels) {
        List<String> values = get(field);
        if (values.isEmpty()) {
            return true;
        }
        if (labels == null || labels.isEmpty()) {
            return false;
        }
        for (String v : values) {
            int eq = v.indexOf('=');
            String have = labels.get(eq < 0 ? v : v.substring(0, eq));
            if (have == null || (eq >= 0 && !v.substring(eq + 1).equals(have))) {
                return false;
            }
        }
        return true;
    }

    /** Docker's {@code GetBoolOrDefault}: one of true/1 or false/0, else an invalid-filter error. */
    public final boolean bool(String name, boolean defaultValue) {
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
