package keel.cli.internal.image;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image references as docker's distribution/reference reads them: {@code [domain/]path[:tag][@digest]},
 * normalized so {@code busybox} is {@code docker.io/library/busybox}, and shown back in the familiar short form.
 * The CLI needs it where docker's client validates before calling the daemon ({@code tag}, {@code import}) and
 * to group {@code docker images} rows by repository.
 */
public final class ImageReference {

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String HOST = "(?:" + DOMAIN_NAME + "|" + IPV6 + ")";
    private static final String DOMAIN = HOST + "(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final Pattern REFERENCE =
            Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
    private static final Pattern ANCHORED_ID = Pattern.compile("^[a-f0-9]{64}$");
    private static final Pattern ANY_ID = Pattern.compile("^(?:sha256:)?[a-f0-9]{64}$");

    private final String domain;
    private final String path;
    private final String tag;
    private final String digest;

    private ImageReference(String domain, String path, String tag, String digest) {
        this.domain = domain;
        this.path = path;
        this.tag = tag;
        this.digest = digest;
    }

    /** ParseNormalizedNamed: fills in docker.io and library/; errors carry docker's messages. */
    public static ImageReference parseNormalized(String s) throws IllegalArgumentException {
        if (ANCHORED_ID.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid repository name (" + s
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String domain;
        String remainder;
        int i = s.indexOf('/');
        if (i == -1 || (!containsAny(s.substring(0, i), ".:") && !s.substring(0, i).equals("localhost")
                && s.substring(0, i).toLowerCase(Locale.ROOT).equals(s.substring(0, i)))) {
            domain = "docker.io";
            remainder = s;
        } else {
            domain = s.substring(0, i);
            remainder = s.substring(i + 1);
        }
        if (domain.equals("index.docker.io")) {
            domain = "docker.io";
        }
        if (domain.equals("docker.io") && remainder.indexOf('/') < 0) {
            remainder = "library/" + remainder;
        }
        String repoPart = remainder;
        int at = repoPart.indexOf('@');
        if (at >= 0) {
            repoPart = repoPart.substring(0, at);
        }
        int colon = repoPart.lastIndexOf(':');
        if (colon >= 0) {
            repoPart = repoPart.substring(0, colon);
        }
        if (!repoPart.toLowerCase(Locale.ROOT).equals(repoPart)) {
            throw new IllegalArgumentException("invalid reference format: repository name (" + repoPart
                    + ") must be lowercase");
        }
        return parse(domain + "/" + remainder);
    }

    /** Parse (no normalization): the strict grammar. */
    static ImageReference parse(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid reference format");
        }
        Matcher m = REFERENCE.matcher(s);
        if (!m.matches()) {
            if (!s.toLowerCase(Locale.ROOT).equals(s) && REFERENCE.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("invalid reference format: repository name must be lowercase");
            }
            throw new IllegalArgumentException("invalid reference format");
        }
        String name = m.group(1);
        if (name.length() > 255) {
            throw new IllegalArgumentException("repository name must not be more than 255 characters");
        }
        int slash = name.indexOf('/');
        return new ImageReference(name.substring(0, slash), name.substring(slash + 1), m.group(2), m.group(3));
    }

    /** ParseAnyReference: an image ID (with or without sha256:) or a reference. */
    public static void validateAny(String s) throws IllegalArgumentException {
        if (ANY_ID.matcher(s).matches()) {
            return;
        }
        parseNormalized(s);
    }

    private static boolean containsAny(String s, String chars) {
        for (char c : chars.toCharArray()) {
            if (s.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The full name: "docker.io/library/busybox". */
    public String name() {
        return domain + "/" + path;
    }

    /** FamiliarName: "busybox", "user/app", "quay.io/x/y". */
    public String familiarName() {
        if (domain.equals("docker.io")) {
            if (path.startsWith("library/") && path.indexOf('/', "library/".length()) < 0) {
                return path.substring("library/".length());
            }
            return path;
        }
        return name();
    }

    public String tag() {
        return tag;
    }

    public String digest() {
        return digest;
    }

    /** TagNameOnly: "latest" when neither tag nor digest is given. */
    public ImageReference withDefaultTag() {
        if (tag == null && digest == null) {
            return new ImageReference(domain, path, "latest", null);
        }
        return this;
    }
}
