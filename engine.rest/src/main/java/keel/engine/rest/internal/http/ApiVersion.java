package keel.engine.rest.internal.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;

/**
 * A Docker Engine API version, {@code MAJOR.MINOR}. Clients name the version they speak in a {@code /v1.NN} path
 * prefix; without one they get the newest. Like dockerd, the server refuses versions outside
 * [{@link #MINIMUM}, {@link #MAXIMUM}] with a 400 whose message tells the user which side they are on.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The version Keel implements: Docker Engine 28.2's. */
    public static final ApiVersion MAXIMUM = new ApiVersion(1, 50);

    /** The oldest version dockerd still accepts (Docker 1.12). */
    public static final ApiVersion MINIMUM = new ApiVersion(1, 24);

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

    /** Parses {@code MAJOR.MINOR}; anything else (1, 1.5.0, 1.x) is an invalid parameter. */
    public static ApiVersion parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw EngineException.invalid("malformed API version \"" + text + "\": expected MAJOR.MINOR, e.g. "
                    + MAXIMUM);
        }
        return new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Checks that this server speaks {@code requested}; dockerd's wording, which clients and scripts match on. */
    public static ApiVersion negotiate(String requested) {
        if (requested == null) {
            return MAXIMUM;
        }
        ApiVersion v = parse(requested);
        if (v.compareTo(MAXIMUM) > 0) {
            throw EngineException.invalid("client version " + requested
                    + " is too new. Maximum supported API version is " + MAXIMUM);
        }
        if (v.compareTo(MINIMUM) < 0) {
            throw EngineException.invalid("client version " + requested
                    + " is too old. Minimum supported API version is " + MINIMUM
                    + ", please upgrade your client to a newer version");
        }
        return v;
    }

    public boolean before(ApiVersion other) {
        return compareTo(other) < 0;
    }

    /** Shorthand for {@code before(new ApiVersion(major, minor))}. */
    public boolean before(int majorOther, int minorOther) {
        return before(new ApiVersion(majorOther, minorOther));
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
