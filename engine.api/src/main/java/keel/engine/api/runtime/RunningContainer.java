package keel.engine.api.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/** A container whose process a runtime started (or adopted after a daemon restart). */
@ConsumerType
public interface RunningContainer {

    String id();

    /** Host PID of the container's first process. */
    long pid();

    /** Completes once, when the container's first process has exited (all others are then killed by the kernel). */
    CompletionStage<ExitStatus> exit();

    /** Sends a signal (by number) to the container's first process. */
    void signal(int signal) throws IOException;

    /** The process's stdin, or null when it was not opened. Closing it gives the process EOF. */
    OutputStream stdin();

    /** Sets the terminal size; ignored without a terminal. */
    void resize(int height, int width) throws IOException;

    /** Freezes every process of the container (cgroup freezer). */
    void pause() throws IOException;

    void resume() throws IOException;

    /** Host PIDs of every process in the container. */
    List<Long> pids() throws IOException;

    /** Starts another process in the container's namespaces and cgroup ({@code docker exec}). */
    ExecProcess exec(ExecLaunch launch) throws IOException;
}
