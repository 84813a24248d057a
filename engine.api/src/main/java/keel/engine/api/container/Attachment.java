package keel.engine.api.container;

import java.io.Closeable;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A client attached to a container or exec: where its input goes ({@link #stdin()}, null unless it asked for
 * stdin and the process has one), and {@link #close()} to detach.
 */
@ProviderType
public interface Attachment extends Closeable {

    OutputStream stdin();

    @Override
    void close();
}
