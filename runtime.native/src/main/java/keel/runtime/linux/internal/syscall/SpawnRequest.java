package keel.runtime.linux.internal.syscall;

import java.util.List;

/**
 * One posix_spawn(3): the executable, argv, envp, the file actions the child runs (in order) between the clone and
 * the execve, and its attributes. The child always starts with an empty signal mask and every signal at its
 * default disposition, because the JVM blocks and handles signals a container process must see.
 *
 * @param setsid make the child a session leader (so that opening a terminal makes it the controlling one)
 */
public record SpawnRequest(String path, List<String> argv, List<String> envp, List<FileAction> actions,
        boolean setsid) {

    public SpawnRequest {
        argv = List.copyOf(argv);
        envp = List.copyOf(envp);
        actions = List.copyOf(actions);
    }

    /** posix_spawn_file_actions_* steps, run by the child in order. */
    public sealed interface FileAction permits Open, Dup2, Close, Chdir, Fchdir, CloseFrom {}

    /** {@code open(path, flags, mode)} made to land on {@code fd}. */
    public record Open(int fd, String path, int flags, int mode) implements FileAction {}

    public record Dup2(int fd, int newFd) implements FileAction {}

    public record Close(int fd) implements FileAction {}

    /** posix_spawn_file_actions_addchdir_np (glibc 2.29). */
    public record Chdir(String path) implements FileAction {}

    /** posix_spawn_file_actions_addfchdir_np (glibc 2.29). */
    public record Fchdir(int fd) implements FileAction {}

    /** posix_spawn_file_actions_addclosefrom_np (glibc 2.34): closes every descriptor from {@code lowFd} up. */
    public record CloseFrom(int lowFd) implements FileAction {}
}
