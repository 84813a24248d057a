package keel.runtime.linux.internal.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import keel.engine.api.runtime.ExecProcess;
import keel.engine.api.runtime.ExitStatus;
import keel.runtime.linux.internal.reaper.ProcessReaper;
import keel.runtime.linux.internal.syscall.ErrnoException;
import keel.runtime.linux.internal.syscall.LinuxKernel;

/** A process started in a running container; its output comes through pipes or its pty master. */
final class LinuxExec implements ExecProcess {

    private final LinuxKernel k;
    private final long pid;
    private final int pidfd;
    private final int ttyMaster;
    private final InputStream stdout, stderr;
    private final OutputStream stdin;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

    LinuxExec(LinuxKernel k, long pid, int pidfd, int ttyMaster, InputStream stdout, InputStream stderr,
            OutputStream stdin) {
        this.k = k;
        this.pid = pid;
        this.pidfd = pidfd;
        this.ttyMaster = ttyMaster;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public void resize(int height, int width) throws IOException {
        if (ttyMaster >= 0 && !exit.isDone() && height > 0 && width > 0) {
            k.setWindowSize(ttyMaster, height, width);
        }
    }

    @Override
    public void signal(int signal) throws IOException {
        if (exit.isDone()) {
            throw new IOException("exec process " + pid + " is not running");
        }
        try {
            k.pidfdSendSignal(pidfd, signal);
        } catch (ErrnoException e) {
            if (e.errno() != LinuxKernel.ESRCH) {
                throw e;
            }
        }
    }

    @Override
    public CompletionStage<ExitStatus> exit() {
        return exit;
    }

    void processExited(LinuxKernel.WaitResult status) {
        ExitStatus s = status == null
                ? ExitStatus.unknown("the exec process was not a child of this daemon")
                : ExitStatus.code(ProcessReaper.exitCode(status));
        k.close(ttyMaster);
        k.close(pidfd);
        exit.complete(s);
    }
}
