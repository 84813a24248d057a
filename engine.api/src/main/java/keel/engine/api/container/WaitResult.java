package keel.engine.api.container;

/** {@code POST /containers/{id}/wait}'s answer: the exit code, and an error message when waiting failed. */
public record WaitResult(int statusCode, String error) {}
