/**
 * Keel's native OCI runtime: {@link keel.runtime.linux.NativeRuntime} (a {@code ContainerRuntime},
 * {@code runtime.name=native}) and {@link keel.runtime.linux.NetnsSandboxFactory} (a {@code SandboxFactory}). The
 * work is in {@code keel.runtime.linux.internal.*}, above one narrow kernel interface
 * ({@code internal.syscall.LinuxKernel}, bound to glibc with jnr-ffi).
 *
 * <h2>How a container starts (no runc, no helper process)</h2>
 * <ol>
 * <li>A fresh <em>launch thread</em> writes "0" to each v1 controller's {@code tasks} (so whatever it spawns is
 * born in the container's cgroups), joins namespaces given by path, unshares the others (mount, uts, ipc, net,
 * pid, cgroup on v1, time), builds the root (binds opened on the host with open_tree, pivot_root, then the
 * config.json mounts resolved inside the new root, /dev, hostname), opens a pty in the container's devpts when
 * asked, becomes the container's user with per-thread raw system calls (setgroups/setresgid/setresuid, capset,
 * the bounding and ambient sets, no_new_privs) and calls posix_spawn. The child's file actions block it on a
 * FIFO (the start barrier), then chdir, wire fds 0-2 and close everything else (closefrom(3)).</li>
 * <li>Meanwhile a <em>pre-exec thread</em> finds the child, opens its pidfd, places it in its v2 cgroup, sets
 * its rlimits and oom_score_adj by PID, enters its namespaces, mounts /proc for its PID namespace (fsconfig
 * "pidns", Linux 6.15), writes sysctls, applies read-only and masked paths, and releases the barrier.</li>
 * <li>One reaper thread (epoll over pidfds, waitid(P_PIDFD); never "any child") reports exits; one pump thread
 * copies every terminal container's output to its spool file. No thread per container.</li>
 * </ol>
 *
 * <h2>Behaviour worth knowing</h2>
 * <ul>
 * <li><b>Daemon restart.</b> Containers keep running when the runtime (or the JVM) goes away. Each container's
 * pidfd is bind-mounted onto {@code STATEDIR/pidfd}: a new daemon reopens it (no PID-reuse race), and because the
 * mount pins the process's struct pid, the kernel records the exit status in it even when the container exits
 * and is reaped by init while no daemon runs (PIDFD_INFO_EXIT). {@code adopt} then returns the container with its
 * exit completing at once; {@code RuntimeInfo.exitCodesSurviveRestart} is true on Linux 6.15+. A process left a
 * zombie by a parent that never reaps gives its code through /proc/PID/stat.</li>
 * <li><b>Terminals do not survive a restart.</b> The pty master lives in the daemon; when the daemon's JVM exits
 * the kernel hangs the terminal up (SIGHUP to the session leader, then EIO). Docker keeps it in its shim; Keel has
 * no per-container process to keep it in. An adopted terminal container has no stdin, ignores resize, and its
 * later output is not logged; a shell in it usually exits on the hang-up.</li>
 * <li><b>cgroup v2.</b> The child is placed in its cgroup at the barrier (v2 moves whole processes, never one
 * thread of the JVM), so it cannot be born in a cgroup namespace rooted there: on v2 no cgroup namespace is made
 * and /sys/fs/cgroup is a read-only bind of the container's own cgroup. Device rules become an eBPF program
 * attached to the cgroup. Controllers are enabled only in parents the runtime creates.</li>
 * <li><b>exec</b> enters every namespace through the container's pidfd except the time namespace (setns refuses
 * it in a multi-threaded process; Docker sets no clock offsets, so the host's reads the same).</li>
 * <li><b>Not supported:</b> user namespaces (a thread cannot unshare one), joining a mount or time namespace by
 * path, OCI hooks (refused, not skipped), seccomp, AppArmor and SELinux (ignored; listed in the runtime's
 * warnings).</li>
 * </ul>
 */
package keel.runtime.linux;
