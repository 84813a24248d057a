package keel.cli.internal.format;

import keel.cli.internal.json.JsonWriter;

/**
 * A typed Go nil: a nil slice prints "[]", a nil map "map[]", a nil pointer "<nil>", while JSON null that Go
 * decoded into an interface prints "<no value>". Image inspect data marks its known list and map fields this way
 * so {@code {{.Config.Entrypoint}}} prints "[]" as docker does.
 */
public enum GoNil implements JsonWriter.JsonValue {
    SLICE("[]"), MAP("map[]"), POINTER("<nil>");

    private final String printed;

    GoNil(String printed) {
        this.printed = printed;
    }

    public String printed() {
        return printed;
    }

    @Override
    public void writeJson(StringBuilder out, boolean escapeHtml) {
        out.append("null");
    }
}
