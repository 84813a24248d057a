package keel.cli.internal.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import keel.cli.internal.json.JsonWriter;

/**
 * A Go struct as templates see it: a fixed set of fields, and "can't evaluate field X in type T" for any other
 * name. docker's table rows ({@code *formatter.imageContext}) are such structs; their {@code {{json .}}} is
 * docker's MarshalJSON: all fields, keys sorted, HTML characters escaped.
 */
public final class GoStruct implements JsonWriter.JsonValue {

    private final String typeName;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public GoStruct(String typeName) {
        this.typeName = typeName;
    }

    /**
     * docker's {@code formatter.SubHeaderContext}, what a table's header row is rendered from: the column names,
     * and {@code Label} naming a label column by the last dotted part of its key.
     */
    public static GoStruct subHeader(Map<String, String> columns) {
        GoStruct h = new GoStruct("formatter.SubHeaderContext");
        columns.forEach(h::put);
        h.put("Label", new GoMethod() {
            @Override
            public int arity() {
                return 1;
            }

            @Override
            public Object call(List<Object> args) {
                String[] parts = String.valueOf(args.get(0)).split("\\.", -1);
                return parts[parts.length - 1].replace('-', ' ').replace('_', ' ');
            }
        });
        return h;
    }

    public GoStruct put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public String typeName() {
        return typeName;
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public Map<String, Object> fields() {
        return fields;
    }

    @Override
    public void writeJson(StringBuilder out, boolean escapeHtml) {
        // docker's rows marshal themselves through json.Marshal of a map: sorted keys, HTML escaped; methods with
        // arguments are left out, the others contribute their results.
        TreeMap<String, Object> values = new TreeMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object v = e.getValue();
            if (v instanceof GoMethod) {
                GoMethod m = (GoMethod) v;
                if (m.arity() != 0) {
                    continue;
                }
                try {
                    v = m.call(java.util.List.of());
                } catch (TemplateException err) {
                    continue;
                }
            }
            values.put(e.getKey(), v);
        }
        JsonWriter.write(out, values, true);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("&{");
        boolean first = true;
        for (Object v : fields.values()) {
            if (v instanceof GoMethod) {
                continue;
            }
            if (!first) {
                sb.append(' ');
            }
            first = false;
            sb.append(GoValues.print(v, false));
        }
        return sb.append('}').toString();
    }
}
