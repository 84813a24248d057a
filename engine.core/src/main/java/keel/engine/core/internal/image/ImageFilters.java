package keel.engine.core.internal.image;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.errors.EngineException;
import keel.engine.core.internal.filter.FilterArgs;

/**
 * Docker's filter arguments ({@code filters={"dangling":["true"],"label":["a=b"]}}) as the image list and prune
 * read them: accepted names checked, booleans and label lists interpreted with Docker's rules and messages.
 */
final class ImageFilters extends FilterArgs {

    static final Set<String> LIST_FILTERS = Set.of("dangling", "label", "before", "since", "reference", "until");
    static final Set<String> PRUNE_FILTERS = Set.of("dangling", "label", "label!", "until");

    ImageFilters(Map<String, List<String>> filters, Set<String> accepted) {
        super(filters, accepted);
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
