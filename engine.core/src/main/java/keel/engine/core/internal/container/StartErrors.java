package keel.engine.core.internal.container;

import java.util.Locale;

import keel.engine.api.errors.EngineException;

/**
 * What a failed start means for the client (Docker's setExitCodeFromError): the exit code recorded for the
 * container — 126 when the command cannot be invoked, 127 when it does not exist (or a bind mount has the wrong
 * type), 128 otherwise — and the error's kind. The runtime's words are kept: the docker CLI derives its own exit
 * code from them.
 */
record StartErrors(int exitCode, EngineException error) {

    static final int EXIT_EACCESS = 126;
    static final int EXIT_NOT_FOUND = 127;
    static final int EXIT_UNKNOWN = 128;

    static StartErrors classify(Throwable e) {
        if (e instanceof EngineException ee) {
            return new StartErrors(EXIT_UNKNOWN, ee);
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("permission denied")) {
            return new StartErrors(EXIT_EACCESS, EngineException.invalid(message, e));
        }
        if (lower.contains("is a directory")) {
            return new StartErrors(EXIT_EACCESS, EngineException.invalid(message + ": permission denied", e));
        }
        if (lower.contains("not a directory")) {
            return new StartErrors(EXIT_NOT_FOUND, EngineException.invalid(message + ": Are you trying to mount a "
                    + "directory onto a file (or vice-versa)? Check if the specified host path exists and is the "
                    + "expected type", e));
        }
        if (lower.contains("executable file not found") || lower.contains("no such file or directory")
                || lower.contains("system cannot find the file specified")
                || lower.contains("failed to run runc create/exec call")) {
            return new StartErrors(EXIT_NOT_FOUND, EngineException.invalid(message, e));
        }
        return new StartErrors(EXIT_UNKNOWN, EngineException.system(message, e));
    }
}
