package keel.engine.api.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A process started by {@link RunningContainer#exec}. Its output is read from streams (exec output is not
 * logged); with a terminal, {@link #stderr()} is null and everything comes through {@link #stdout()}.
 */
@ConsumerType
public interface ExecProcess {

    long pid();

    InputStream stdout();

    InputStream stderr();

    /** Null when stdin was not opened. */
    OutputStream stdin();

    void resize(int height, int width) throws IOException;

    void signal(int signal) throws IOException;

    CompletionStage<ExitStatus> exit();
}
