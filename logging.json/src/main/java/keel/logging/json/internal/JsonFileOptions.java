package keel.logging.json.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import keel.engine.api.errors.EngineException;

/**
 * The json-file log options, checked with Docker's rules and wording (jsonfilelog.New and ValidateLogOpt).
 *
 * @param maxSize bytes a file may reach before the next write rotates it, or -1 for no limit
 * @param maxFiles how many files (the current one and the rotated ones) to keep; rotation needs max-size
 * @param compress whether rotated files are gzipped
 * @param tag the tag template, or null
 */
public record JsonFileOptions(long maxSize, int maxFiles, boolean compress, String tag) {

    /** Docker's json-file options: its own three and the common metadata options of every driver. */
    private static final Set<String> KNOWN = Set.of("max-size", "max-file", "compress", "labels", "labels-regex",
            "env", "env-regex", "tag");

    /** Parses and checks options; throws {@link EngineException} (INVALID_PARAMETER) with Docker's message. */
    public static JsonFileOptions parse(Map<String, String> options) {
        Map<String, String> o = options == null ? Map.of() : options;
        for (String key : new TreeSet<>(o.keySet())) { // sorted: the same typo gives the same error every time
            if (!KNOWN.contains(key)) {
                throw EngineException.invalid("unknown log opt '" + key + "' for json-file log driver");
            }
        }
        long maxSize = -1;
        String size = o.get("max-size");
        // Docker's units.FromHumanSize rejects "-1"; Keel also takes it for "no limit", the value Docker uses inside.
        if (size != null && !size.equals("-1")) {
            maxSize = HumanSize.parse(size);
            if (maxSize <= 0) {
                throw EngineException.invalid("max-size must be a positive number");
            }
        }
        int maxFiles = 1;
        String files = o.get("max-file");
        if (files != null) {
            maxFiles = GoStrconv.atoi(files);
            if (maxFiles < 1) {
                throw EngineException.invalid("max-file cannot be less than 1");
            }
        }
        boolean compress = false;
        String c = o.get("compress");
        if (c != null) {
            compress = GoStrconv.parseBool(c);
            if (compress && (maxFiles == 1 || maxSize == -1)) {
                throw EngineException.invalid(
                        "compress cannot be true when max-file is less than 2 or max-size is not set");
            }
        }
        for (String key : new String[] {"labels-regex", "env-regex"}) {
            String re = o.get(key);
            if (re != null && !re.isEmpty()) {
                try {
                    Pattern.compile(re);
                } catch (PatternSyntaxException e) {
                    throw EngineException.invalid("error parsing regexp: " + e.getDescription() + ": `" + re + "`");
                }
            }
        }
        String tag = o.get("tag");
        if (tag != null && !tag.isEmpty()) {
            LogAttributes.validateTag(tag);
        }
        return new JsonFileOptions(maxSize, maxFiles, compress, tag);
    }

    /** Whether files rotate at all: Docker rotates only with a max-size. */
    public boolean rotates() {
        return maxSize > 0;
    }
}
