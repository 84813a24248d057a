package keel.cli.internal.command;

import java.util.List;

/** docker's positional-argument checks (cli.ExactArgs, RequiresMinArgs, ...) with their exact messages. */
public final class ArgsRule {

    private final int min;
    private final int max; // -1: unbounded

    private ArgsRule(int min, int max) {
        this.min = min;
        this.max = max;
    }

    public static ArgsRule none() {
        return new ArgsRule(0, 0);
    }

    public static ArgsRule exactly(int n) {
        return new ArgsRule(n, n);
    }

    public static ArgsRule atLeast(int n) {
        return new ArgsRule(n, -1);
    }

    public static ArgsRule atMost(int n) {
        return new ArgsRule(0, n);
    }

    public static ArgsRule range(int min, int max) {
        return new ArgsRule(min, max);
    }

    /** Exit code 1, like docker (these are plain errors there, not StatusErrors). */
    public void check(List<String> args, String commandPath, String useLine) throws CliException {
        int n = args.size();
        String bin = commandPath.split(" ")[0];
        if (min == 0 && max == 0) {
            if (n > 0) {
                throw new CliException(1, bin + ": '" + commandPath + "' accepts no arguments\n\nUsage:  " + useLine
                        + "\n\nRun '" + commandPath + " --help' for more information");
            }
            return;
        }
        if (min == max && n != min) {
            throw new CliException(1, bin + ": '" + commandPath + "' requires " + min + " " + plural(min)
                    + "\n\nUsage:  " + useLine + "\n\nRun '" + commandPath + " --help' for more information");
        }
        if (max < 0 && n < min) {
            throw new CliException(1, bin + ": '" + commandPath + "' requires at least " + min + " " + plural(min)
                    + "\n\nUsage:  " + useLine + "\n\nSee '" + commandPath + " --help' for more information");
        }
        if (min == 0 && max > 0 && n > max) {
            // docker 28 prints "SRun" here (a typo in cli.RequiresMaxArgs); keel writes it correctly.
            throw new CliException(1, bin + ": '" + commandPath + "' requires at most " + max + " " + plural(max)
                    + "\n\nUsage:  " + useLine + "\n\nRun '" + commandPath + " --help' for more information");
        }
        if (min > 0 && max > 0 && (n < min || n > max)) {
            throw new CliException(1, bin + ": '" + commandPath + "' requires at least " + min + " and at most "
                    + max + " " + plural(max) + "\n\nUsage:  " + useLine + "\n\nRun '" + commandPath
                    + " --help' for more information");
        }
    }

    private static String plural(int n) {
        return n == 1 ? "argument" : "arguments";
    }
}
