package keel.engine.core.internal.image.reference;

import keel.engine.api.errors.EngineException;

/**
 * The {@code reference} filter of {@code docker images}: a shell pattern ({@code busy*}, {@code team/*:1.?}) with
 * Go's {@code path.Match} rules ({@code *} and {@code ?} do not cross {@code /}, {@code [a-z]} classes,
 * {@code \} escapes), matched against the familiar reference and then the familiar name (Docker's
 * {@code FamiliarMatch}).
 */
public final class FamiliarPattern {

    private final String pattern;

    public FamiliarPattern(String pattern) {
        this.pattern = pattern;
        match(pattern, ""); // reject a malformed pattern up front, as Docker does when it first uses it
    }

    public boolean matches(Reference ref) {
        return match(pattern, ref.familiarString()) || match(pattern, ref.familiarName());
    }

    /** Go's {@code path.Match}; a malformed pattern is an INVALID_PARAMETER error. */
    static boolean match(String pattern, String name) {
        validate(pattern);
        return matchFrom(pattern, 0, name, 0);
    }

    private static boolean matchFrom(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                // '*' matches any run of non-'/' characters; try the shortest first.
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                for (int k = si; ; k++) {
                    if (matchFrom(p, pi, s, k)) {
                        return true;
                    }
                    if (k >= s.length() || s.charAt(k) == '/') {
                        return false;
                    }
                }
            }
            if (si >= s.length()) {
                return false;
            }
            char sc = s.charAt(si);
            if (c == '?') {
                if (sc == '/') {
                    return false;
                }
                pi++;
                si++;
            } else if (c == '[') {
                int end = classEnd(p, pi);
                if (end < 0 || sc == '/' || !classMatches(p, pi + 1, end, sc)) {
                    return false;
                }
                pi = end + 1;
                si++;
            } else {
                if (c == '\\') {
                    pi++;
                    if (pi >= p.length()) {
                        return false;
                    }
                    c = p.charAt(pi);
                }
                if (c != sc) {
                    return false;
                }
                pi++;
                si++;
            }
        }
        return si == s.length();
    }

    /** Index of the ']' closing the class opened at {@code open}, or -1. */
    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        boolean first = true;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == ']' && !first) {
                return i;
            }
            if (c == '\\') {
                i++;
            }
            first = false;
            i++;
        }
        return -1;
    }

    private static boolean classMatches(String p, int from, int end, char sc) {
        boolean negated = p.charAt(from) == '^';
        int i = negated ? from + 1 : from;
        boolean matched = false;
        while (i < end) {
            char lo = p.charAt(i);
            if (lo == '\\') {
                lo = p.charAt(++i);
            }
            i++;
            char hi = lo;
            if (i + 1 < end && p.charAt(i) == '-') {
                hi = p.charAt(i + 1);
                if (hi == '\\') {
                    hi = p.charAt(i + 2);
                    i++;
                }
                i += 2;
            }
            if (lo <= sc && sc <= hi) {
                matched = true;
            }
        }
        return matched != negated;
    }

    private static void validate(String p) {
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (++i >= p.length()) {
                    throw bad();
                }
            } else if (c == '[') {
                int end = classEnd(p, i);
                if (end < 0 || end == i + 1 || (p.charAt(i + 1) == '^' && end == i + 2)) {
                    throw bad();
                }
                i = end;
            }
        }
    }

    private static EngineException bad() {
        return EngineException.invalid("syntax error in pattern");
    }
}
