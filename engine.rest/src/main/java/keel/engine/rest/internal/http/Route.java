package keel.engine.rest.internal.http;

/**
 * One endpoint: an HTTP method, a path pattern and its handler. {@code since} is the API version that introduced
 * the endpoint; older clients get dockerd's "requires API version" error.
 */
public record Route(String method, PathPattern pattern, ApiVersion since, RouteHandler handler) {

    public static Route get(String pattern, RouteHandler handler) {
        return new Route("GET", PathPattern.of(pattern), ApiVersion.MINIMUM, handler);
    }

    public static Route head(String pattern, RouteHandler handler) {
        return new Route("HEAD", PathPattern.of(pattern), ApiVersion.MINIMUM, handler);
    }

    public static Route post(String pattern, RouteHandler handler) {
        return new Route("POST", PathPattern.of(pattern), ApiVersion.MINIMUM, handler);
    }

    public static Route delete(String pattern, RouteHandler handler) {
        return new Route("DELETE", PathPattern.of(pattern), ApiVersion.MINIMUM, handler);
    }

    public Route since(ApiVersion version) {
        return new Route(method, pattern, version, handler);
    }
}
