package keel.cli.internal.container.options;

import java.util.ArrayList;
import java.util.List;

/**
 * One record of Go's encoding/csv, which docker uses to split --mount and long-form --network values: commas
 * separate fields, a field may be double-quoted (with "" for a quote inside) so it can hold commas.
 */
public final class CsvFields {

    private CsvFields() {
    }

    public static List<String> parse(String line) throws BadValue {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new BadValue("parse error on line 1, column " + (n + 1) + ": extraneous or missing \" in "
                                + "quoted-field");
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(c);
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new BadValue("parse error on line 1, column " + (i + 1) + ": extraneous or missing \" in "
                            + "quoted-field");
                }
            } else {
                while (i < n && line.charAt(i) != ',') {
                    char c = line.charAt(i);
                    if (c == '"') {
                        throw new BadValue("parse error on line 1, column " + (i + 1) + ": bare \" in non-quoted-field");
                    }
                    field.append(c);
                    i++;
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                break;
            }
            i++; // the comma
        }
        return fields;
    }
}
