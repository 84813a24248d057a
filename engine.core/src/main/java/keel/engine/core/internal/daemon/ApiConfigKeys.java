package keel.engine.core.internal.daemon;

/**
 * Names under which engine.rest reads its configuration. engine.core writes them but does not depend on
 * engine.rest, so the names are repeated here; both sides use Config Admin's plain property names.
 */
final class ApiConfigKeys {
    static final String PID = "keel.api";

    private ApiConfigKeys() {}
}
