package keel.cli.internal.json;

import java.io.IOException;

/**
 * Re-indents (or compacts) raw JSON text without parsing it into values, as Go's json.Indent does for {@code docker inspect}:
 * keys keep the daemon's order, numbers and string escapes stay byte for byte, empty arrays and objects stay
 * {@code []} and {@code {}}.
 */
public final class JsonIndenter {

    private JsonIndenter() {
    }

    /** As Go's json.Compact: whitespace outside strings removed, strings untouched. */
    public static String compact(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                sb.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    sb.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                sb.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    public static String indent(String json, String indent) throws IOException {
        StringBuilder out = new StringBuilder(json.length() * 2);
        int depth = 0;
        boolean needIndent = false; // an opening bracket was written; a newline is due unless it closes at once
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (needIndent && c != ']' && c != '}') {
                needIndent = false;
                depth++;
                newline(out, indent, depth);
            }
            switch (c) {
                case '"': {
                    int j = i + 1;
                    while (j < n) {
                        char d = json.charAt(j);
                        if (d == '\\') {
                            j += 2;
                            continue;
                        }
                        if (d == '"') {
                            break;
                        }
                        j++;
                    }
                    if (j >= n) {
                        throw new IOException("unexpected end of JSON input");
                    }
                    out.append(json, i, j + 1);
                    i = j;
                    break;
                }
                case '{':
                case '[':
                    out.append(c);
                    needIndent = true;
                    break;
                case ',':
                    out.append(c);
                    newline(out, indent, depth);
                    break;
                case ':':
                    out.append(": ");
                    break;
                case '}':
                case ']':
                    if (needIndent) {
                        needIndent = false; // empty: "[]" / "{}"
                    } else {
                        depth--;
                        newline(out, indent, depth);
                    }
                    out.append(c);
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }

    private static void newline(StringBuilder out, String indent, int depth) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append(indent);
        }
    }
}
