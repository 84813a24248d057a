package keel.engine.api.runtime;

/**
 * How a container's (or exec's) process ended: {@code exitCode} as the shell reports it (128 + signal number when
 * killed by a signal), whether the kernel's OOM killer killed it, and, when the exit code is not known (the process
 * ended while no daemon watched it and the kernel kept no record), {@code exitCode} -1 with {@code error} saying
 * so rather than a guess.
 */
public record ExitStatus(int exitCode, boolean oomKilled, String error) {

    public static ExitStatus code(int code) {
        return new ExitStatus(code, false, null);
    }

    public static ExitStatus unknown(String why) {
        return new ExitStatus(-1, false, why);
    }
}
