package keel.engine.rest.internal.http;

/** Serves one route. Throwing reports the error in Docker's shape (see {@link ErrorStatus}). */
@FunctionalInterface
public interface RouteHandler {
    void handle(ApiRequest request, ApiResponse response) throws Exception;
}
