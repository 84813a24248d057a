package keel.engine.api.errors;

/**
 * An error with a {@link Kind}. The message is what a user sees (Docker puts it in {@code {"message": ...}}), so
 * it names the object and says what is wrong with it.
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Docker's error classes; the REST layer maps each to one HTTP status. */
    public enum Kind {
        /** 400 */
        INVALID_PARAMETER,
        /** 403 */
        FORBIDDEN,
        /** 404 */
        NOT_FOUND,
        /** 409 */
        CONFLICT,
        /** 304 */
        NOT_MODIFIED,
        /** 501 */
        NOT_IMPLEMENTED,
        /** 503 */
        UNAVAILABLE,
        /** 500 */
        SYSTEM
    }

    private final Kind kind;

    public EngineException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public EngineException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static EngineException notFound(String message) {
        return new EngineException(Kind.NOT_FOUND, message);
    }

    public static EngineException invalid(String message) {
        return new EngineException(Kind.INVALID_PARAMETER, message);
    }

    public static EngineException invalid(String message, Throwable cause) {
        return new EngineException(Kind.INVALID_PARAMETER, message, cause);
    }

    public static EngineException conflict(String message) {
        return new EngineException(Kind.CONFLICT, message);
    }

    public static EngineException unavailable(String message) {
        return new EngineException(Kind.UNAVAILABLE, message);
    }

    public static EngineException system(String message, Throwable cause) {
        return new EngineException(Kind.SYSTEM, message, cause);
    }
}
