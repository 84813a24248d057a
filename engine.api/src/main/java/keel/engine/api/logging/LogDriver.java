package keel.engine.api.logging;

import java.io.IOException;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/** A log driver, registered as a service with the {@value #NAME_PROPERTY} property. */
@ConsumerType
public interface LogDriver {

    String NAME_PROPERTY = "driver.name";

    String name();

    /**
     * Checks log options before a container is created, so a typo fails {@code docker run} rather than the
     * container's logging. Throws {@link keel.engine.api.errors.EngineException} (INVALID_PARAMETER) with
     * Docker's wording, e.g. {@code unknown log opt 'max-sise' for json-file log driver}.
     */
    void validate(Map<String, String> options);

    /** Opens (creating when needed) the log of a container; called at every start and after a daemon restart. */
    ContainerLog open(LogContext context) throws IOException;
}
