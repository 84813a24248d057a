package keel.runtime.linux.internal.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of /proc/PID/stat (proc(5)) the runtime needs: state, start time (clock ticks since boot, which with
 * the PID identifies a process for good) and, for a zombie, its exit code (field 52, wait(2) encoding).
 */
public record ProcStat(long pid, char state, long startTime, int exitCode) {

    public static Optional<ProcStat> of(long pid) throws IOException {
        try {
            return Optional.of(parse(pid, Files.readString(Path.of("/proc/" + pid + "/stat"))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static ProcStat parse(long pid, String text) {
        // comm (field 2) is in parentheses and may itself contain spaces and ')'.
        int close = text.lastIndexOf(')');
        String[] f = text.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); field N is f[N - 3].
        long start = Long.parseLong(f[22 - 3]);
        int exit = f.length > 52 - 3 ? Integer.parseInt(f[52 - 3]) : 0;
        return new ProcStat(pid, f[0].charAt(0), start, exit);
    }

    public boolean zombie() {
        return state == 'Z';
    }
}
