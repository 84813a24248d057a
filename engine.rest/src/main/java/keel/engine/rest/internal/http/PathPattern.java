package keel.engine.rest.internal.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's path, e.g. {@code /images/{name}/json}. A variable matches one or more characters including
 * {@code /}, because Docker's routes declare {@code {name:.*}}: image names carry slashes and colons
 * ({@code registry:5000/team/app:1.0}). Matching is greedy, so the literal tail ({@code /json}) is taken from the
 * end of the path and everything before it is the name.
 */
public final class PathPattern {
    private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z]+)}");

    private final String text;
    private final Pattern regex;
    private final List<String> variables;

    private PathPattern(String text, Pattern regex, List<String> variables) {
        this.text = text;
        this.regex = regex;
        this.variables = variables;
    }

    public static PathPattern of(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with /: " + pattern);
        }
        StringBuilder re = new StringBuilder();
        List<String> vars = new ArrayList<>();
        Matcher m = VARIABLE.matcher(pattern);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(pattern.substring(last, m.start()))).append("(.+)");
            vars.add(m.group(1));
            last = m.end();
        }
        re.append(Pattern.quote(pattern.substring(last)));
        return new PathPattern(pattern, Pattern.compile(re.toString()), List.copyOf(vars));
    }

    /** The variables of {@code path} when it matches, in declaration order. */
    public Optional<Map<String, String>> match(String path) {
        Matcher m = regex.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            values.put(variables.get(i), m.group(i + 1));
        }
        return Optional.of(values);
    }

    @Override
    public String toString() {
        return text;
    }
}
