package keel.engine.rest.internal.routes;

import java.util.function.Supplier;

import keel.engine.api.errors.EngineException;

/**
 * A service that may come and go while the server runs (an OSGi dynamic reference). Routes ask for it per
 * request; while it is absent they answer 503 and every other route, {@code /_ping} included, keeps working.
 */
public final class ServiceRef<T> {
    private final Supplier<T> current;
    private final String unavailable;

    /** @param unavailable the message of the 503 while the service is absent */
    public ServiceRef(Supplier<T> current, String unavailable) {
        this.current = current;
        this.unavailable = unavailable;
    }

    public T get() {
        T service = current.get();
        if (service == null) {
            throw EngineException.unavailable(unavailable);
        }
        return service;
    }
}
