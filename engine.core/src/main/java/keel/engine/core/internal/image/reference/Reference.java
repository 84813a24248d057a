package keel.engine.core.internal.image.reference;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import keel.engine.api.errors.EngineException;

/**
 * A Docker image reference ({@code docker.io/library/busybox:latest}, {@code registry:5000/team/app@sha256:...}),
 * parsed and normalized by the rules of distribution/reference, which Docker applies to every name it is given:
 * {@code busybox} means {@code docker.io/library/busybox}, repository names are lowercase, a tag is
 * {@code [\w][\w.-]{0,127}}. Stored in normalized form; shown in familiar form ({@code busybox:latest}).
 */
public final class Reference implements Comparable<Reference> {

    public static final String DEFAULT_DOMAIN = "docker.io";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    public static final String DEFAULT_TAG = "latest";
    private static final int NAME_TOTAL_LENGTH_MAX = 255;

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6 + ")";
    private static final String DOMAIN_AND_PORT = HOST + "(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final String NAME = "(?:" + DOMAIN_AND_PORT + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";

    private static final Pattern REFERENCE =
            Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
    private static final Pattern ANCHORED_TAG = Pattern.compile("^" + TAG + "$");
    private static final Pattern ANCHORED_DOMAIN = Pattern.compile("^" + DOMAIN_AND_PORT + "$");
    private static final Pattern ANCHORED_HEX64 = Pattern.compile("^[a-f0-9]{64}$");
    private static final Pattern SHA256_DIGEST = Pattern.compile("^sha256:[a-f0-9]{64}$");

    private final String domain;
    private final String path;
    private final String tag;
    private final String digest;

    private Reference(String domain, String path, String tag, String digest) {
        this.domain = domain;
        this.path = path;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses a name as a user gives it ({@code busybox}, {@code Busybox} is an error, {@code my.registry/app:1}).
     * Docker's {@code ParseNormalizedNamed}.
     *
     * @throws EngineException INVALID_PARAMETER with Docker's message
     */
    public static Reference parseNormalized(String s) {
        if (ANCHORED_HEX64.matcher(s).matches()) {
            throw EngineException.invalid(
                    "invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings");
        }
        String domain;
        String remainder;
        int i = s.indexOf('/');
        if (i == -1 || (!containsAny(s.substring(0, i), ".:") && !s.substring(0, i).equals("localhost")
                && s.substring(0, i).toLowerCase(java.util.Locale.ROOT).equals(s.substring(0, i)))) {
            domain = DEFAULT_DOMAIN;
            remainder = s;
        } else {
            domain = s.substring(0, i);
            remainder = s.substring(i + 1);
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
            remainder = OFFICIAL_PREFIX + remainder;
        }
        int tagSep = remainder.indexOf(':');
        String remoteName = tagSep > -1 ? remainder.substring(0, tagSep) : remainder;
        if (!remoteName.toLowerCase(java.util.Locale.ROOT).equals(remoteName)) {
            throw EngineException.invalid(
                    "invalid reference format: repository name (" + remoteName + ") must be lowercase");
        }
        return parse(domain + "/" + remainder);
    }

    /** Parses a complete, normalized reference (domain first). Docker's {@code reference.Parse}. */
    private static Reference parse(String s) {
        Matcher m = REFERENCE.matcher(s);
        if (!m.matches()) {
            if (s.isEmpty()) {
                throw EngineException.invalid("repository name must have at least one component");
            }
            if (REFERENCE.matcher(s.toLowerCase(java.util.Locale.ROOT)).matches()) {
                throw EngineException.invalid("repository name must be lowercase");
            }
            throw EngineException.invalid("invalid reference format");
        }
        String name = m.group(1);
        if (name.length() > NAME_TOTAL_LENGTH_MAX) {
            throw EngineException.invalid("repository name must not be more than " + NAME_TOTAL_LENGTH_MAX + " characters");
        }
        String digest = m.group(3);
        if (digest != null && !SHA256_DIGEST.matcher(digest).matches()) {
            // go-digest accepts only registered algorithms with the right length; the engine knows sha256.
            throw EngineException.invalid(digest.startsWith("sha256:") ? "invalid checksum digest length"
                    : "unsupported digest algorithm");
        }
        int slash = name.indexOf('/');
        String domain = "";
        String path = name;
        if (slash > 0 && ANCHORED_DOMAIN.matcher(name.substring(0, slash)).matches()) {
            domain = name.substring(0, slash);
            path = name.substring(slash + 1);
        }
        return new Reference(domain, path, m.group(2), digest);
    }

    /**
     * Docker's {@code ParseAnyReference}: a full image ID (64 hex, with or without {@code sha256:}) gives a
     * digest-only reference ({@link #isDigestOnly}); anything else is parsed as a normalized name.
     */
    public static Reference parseAny(String s) {
        if (ANCHORED_HEX64.matcher(s).matches()) {
            return new Reference(null, null, null, "sha256:" + s);
        }
        if (SHA256_DIGEST.matcher(s).matches()) {
            return new Reference(null, null, null, s);
        }
        return parseNormalized(s);
    }

    /** Whether this is only a digest (an image ID), without a name. */
    public boolean isDigestOnly() {
        return path == null;
    }

    /** The same repository with tag {@code tag}, after checking the tag's format. */
    public Reference withTag(String newTag) {
        if (!ANCHORED_TAG.matcher(newTag).matches()) {
            throw EngineException.invalid("invalid tag format");
        }
        return new Reference(domain, path, newTag, digest);
    }

    /** The repository alone, without tag or digest. */
    public Reference nameOnly() {
        return new Reference(domain, path, null, null);
    }

    /** Docker's {@code TagNameOnly}: a bare name gets the tag {@code latest}. */
    public Reference tagNameOnly() {
        if (tag == null && digest == null && path != null) {
            return new Reference(domain, path, DEFAULT_TAG, null);
        }
        return this;
    }

    public String domain() {
        return domain;
    }

    public String path() {
        return path;
    }

    /** The tag, or null. */
    public String tag() {
        return tag;
    }

    /** The digest ({@code sha256:...}), or null. */
    public String digest() {
        return digest;
    }

    public boolean isTagged() {
        return tag != null;
    }

    /** A reference by digest ({@code name@sha256:...}). */
    public boolean isCanonical() {
        return digest != null && path != null;
    }

    public boolean isNameOnly() {
        return tag == null && digest == null && path != null;
    }

    /** The full repository name: {@code docker.io/library/busybox}. */
    public String name() {
        return domain.isEmpty() ? path : domain + "/" + path;
    }

    /** The repository name as Docker shows it: {@code busybox}, {@code team/app}, {@code registry:5000/app}. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return path.substring(OFFICIAL_PREFIX.length());
        }
        return path;
    }

    /** The reference as Docker shows it: {@code busybox:latest}. */
    public String familiarString() {
        if (isDigestOnly()) {
            return digest;
        }
        return familiarName() + suffix();
    }

    private String suffix() {
        return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The full normalized form: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        if (isDigestOnly()) {
            return digest;
        }
        return name() + suffix();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reference && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }

    @Override
    public int compareTo(Reference o) {
        return toString().compareTo(o.toString());
    }

    private static boolean containsAny(String s, String chars) {
        for (int i = 0; i < chars.length(); i++) {
            if (s.indexOf(chars.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
