package keel.cli.internal.image;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import keel.cli.internal.command.CliException;
import keel.cli.internal.http.Query;
import keel.cli.internal.json.JsonWriter;

/** docker's filter flag (opts.FilterOpt) and its JSON query form {@code {"key":{"value":true}}}, keys sorted. */
public final class Filters {

    private final Map<String, Map<String, Boolean>> values = new TreeMap<>();

    /** Parses {@code -f name=value} flags; a value without "=" is a flag error (exit 125) as in docker. */
    public static Filters parse(List<String> flags, String flagName, String useLine, String path)
            throws CliException {
        Filters f = new Filters();
        for (String v : flags) {
            if (v.isEmpty()) {
                continue;
            }
            int eq = v.indexOf('=');
            if (eq < 0) {
                throw new CliException(125, "invalid argument \"" + v + "\" for \"" + flagName
                        + "\" flag: bad format of filter (expected name=value)\n\nUsage:  " + useLine + "\n\nRun '"
                        + path + " --help' for more information");
            }
            f.add(v.substring(0, eq).trim().toLowerCase(Locale.ROOT), v.substring(eq + 1).trim());
        }
        return f;
    }

    public Filters add(String key, String value) {
        values.computeIfAbsent(key, k -> new TreeMap<>()).put(value, Boolean.TRUE);
        return this;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Sets the {@code filters} parameter of {@code query} when there are filters; returns the query. */
    public Query addTo(Query query) {
        if (!isEmpty()) {
            query.set("filters", toJson());
        }
        return query;
    }

    public String toJson() {
        return JsonWriter.write(values, true);
    }
}
