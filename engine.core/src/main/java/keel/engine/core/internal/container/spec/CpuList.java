package keel.engine.core.internal.container.spec;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The cgroup list syntax of cpuset.cpus / cpuset.mems ({@code 0-2,4,7-8}), parsed as Docker parses it
 * (moby pkg/sysinfo). Values above a maximum are refused before the set is built: a request such as
 * {@code 1-9223372036854775807} would otherwise exhaust memory (CVE-2018-20699).
 */
final class CpuList {

    private CpuList() {}

    /**
     * @param maximum the largest value accepted (0: no limit)
     * @throws IllegalArgumentException with Docker's message ({@code invalid format: X},
     *         {@code value of out range, maximum is N})
     */
    static SortedSet<Integer> parse(String val, int maximum) {
        SortedSet<Integer> out = new TreeSet<>();
        if (val.isEmpty()) {
            return out;
        }
        String invalid = "invalid format: " + val;
        for (String r : val.split(",", -1)) {
            int dash = r.indexOf('-');
            long min;
            long max;
            if (dash < 0) {
                min = atoi(r, invalid);
                max = min;
            } else {
                min = atoi(r.substring(0, dash), invalid);
                max = atoi(r.substring(dash + 1), invalid);
                if (max < min) {
                    throw new IllegalArgumentException(invalid);
                }
            }
            if (maximum != 0 && max > maximum) {
                throw new IllegalArgumentException("value of out range, maximum is " + maximum);
            }
            if (min < 0 || max > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(invalid);
            }
            for (long i = min; i <= max; i++) {
                out.add((int) i);
            }
        }
        return out;
    }

    /** Go's strconv.Atoi on a 64-bit platform: optional sign, decimal digits, within int64. */
    private static long atoi(String s, String error) {
        if (s.isEmpty() || !s.matches("[+-]?[0-9]+")) {
            throw new IllegalArgumentException(error);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(error);
        }
    }
}
