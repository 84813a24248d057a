package keel.engine.rest.internal.http;

import com.fasterxml.jackson.core.JacksonException;

import keel.engine.api.errors.EngineException;

/** The HTTP status of a failure, as dockerd's errdefs map its error classes. */
public final class ErrorStatus {
    private ErrorStatus() {}

    public static int of(EngineException.Kind kind) {
        switch (kind) {
            case INVALID_PARAMETER:
                return 400;
            case FORBIDDEN:
                return 403;
            case NOT_FOUND:
                return 404;
            case CONFLICT:
                return 409;
            case NOT_MODIFIED:
                return 304;
            case NOT_IMPLEMENTED:
                return 501;
            case UNAVAILABLE:
                return 503;
            case SYSTEM:
            default:
                return 500;
        }
    }

    /** The status for any throwable: malformed JSON is the client's fault, everything unclassified is ours. */
    public static int of(Throwable t) {
        if (t instanceof EngineException) {
            return of(((EngineException) t).kind());
        }
        if (t instanceof JacksonException) {
            return 400;
        }
        return 500;
    }

    /** The sentence for {@code {"message": ...}}. */
    public static String message(Throwable t) {
        if (t instanceof JacksonException) {
            return "invalid JSON: " + ((JacksonException) t).getOriginalMessage();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
