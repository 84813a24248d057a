package keel.engine.rest.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the route for a method and a path (the path without its {@code /v1.NN} prefix). Routes are tried in the
 * order added, so fixed paths ({@code /images/json}, {@code /images/load}) go before patterns that could also
 * match them.
 */
public final class Router {

    /** A route and the values of its path variables. */
    public record Match(Route route, Map<String, String> variables) {}

    private final List<Route> routes = new ArrayList<>();

    public Router add(List<Route> more) {
        routes.addAll(more);
        return this;
    }

    public Optional<Match> find(String method, String path) {
        for (Route r : routes) {
            if (!r.method().equals(method)) {
                continue;
            }
            Optional<Map<String, String>> vars = r.pattern().match(path);
            if (vars.isPresent()) {
                return Optional.of(new Match(r, vars.get()));
            }
        }
        return Optional.empty();
    }
}
