package keel.engine.core.internal.image.changes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import keel.engine.api.errors.EngineException;

/**
 * The Dockerfile word rules: splitting an instruction's arguments on unquoted whitespace, and the expansion of
 * one word against the environment so far (quotes removed, {@code \} escapes, {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}}, {@code ${VAR:+alternative}}, {@code ${VAR-default}}, {@code ${VAR+alternative}},
 * {@code ${VAR:?message}}), as BuildKit's shell lexer does for ENV, LABEL, EXPOSE, USER, VOLUME, WORKDIR and
 * STOPSIGNAL.
 */
final class ShellWord {

    private static final char ESCAPE = '\\';

    private ShellWord() {}

    /** Splits on whitespace outside quotes, keeping quotes and escapes in the words (BuildKit's parseWords). */
    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            word.append(c);
            if (c == ESCAPE && quote != '\'' && i + 1 < s.length()) {
                word.append(s.charAt(++i));
                continue;
            }
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Expands one word: removes quotes and escapes, substitutes variables from {@code env}. */
    static String expand(String word, UnaryOperator<String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c == '\'') {
                int end = word.indexOf('\'', i + 1);
                if (end < 0) {
                    throw EngineException.invalid("unexpected end of statement while looking for matching single-quote");
                }
                out.append(word, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(word, i + 1, env, out);
            } else if (c == ESCAPE) {
                if (i + 1 < word.length()) {
                    out.append(word.charAt(i + 1));
                    i += 2;
                } else {
                    out.append(c);
                    i++;
                }
            } else if (c == '$') {
                i = dollar(word, i + 1, env, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int doubleQuoted(String w, int i, UnaryOperator<String> env, StringBuilder out) {
        while (i < w.length()) {
            char c = w.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == ESCAPE && i + 1 < w.length()) {
                char n = w.charAt(i + 1);
                if (n == '"' || n == '$' || n == ESCAPE) {
                    out.append(n);
                    i += 2;
                    continue;
                }
                out.append(c);
                i++;
            } else if (c == '$') {
                i = dollar(w, i + 1, env, out);
            } else {
                out.append(c);
                i++;
            }
        }
        throw EngineException.invalid("unexpected end of statement while looking for matching double-quote");
    }

    /** After a {@code $} at {@code i - 1}: a name, a braced expression, or a literal dollar. */
    private static int dollar(String w, int i, UnaryOperator<String> env, StringBuilder out) {
        if (i >= w.length()) {
            out.append('$');
            return i;
        }
        char c = w.charAt(i);
        if (c == '{') {
            int close = matchingBrace(w, i);
            if (close < 0) {
                throw EngineException.invalid("missing '}'");
            }
            String expr = w.substring(i + 1, close);
            out.append(braced(expr, env));
            return close + 1;
        }
        int end = i;
        while (end < w.length() && isNameChar(w.charAt(end))) {
            end++;
        }
        if (end == i) {
            out.append('$');
            return i;
        }
        String v = env.apply(w.substring(i, end));
        out.append(v == null ? "" : v);
        return end;
    }

    private static String braced(String expr, UnaryOperator<String> env) {
        int n = 0;
        while (n < expr.length() && isNameChar(expr.charAt(n))) {
            n++;
        }
        String name = expr.substring(0, n);
        if (name.isEmpty()) {
            throw EngineException.invalid("bad substitution: ${" + expr + "}");
        }
        String value = env.apply(name);
        if (n == expr.length()) {
            return value == null ? "" : value;
        }
        boolean colon = expr.charAt(n) == ':';
        int opAt = colon ? n + 1 : n;
        if (opAt >= expr.length()) {
            throw EngineException.invalid("bad substitution: ${" + expr + "}");
        }
        char op = expr.charAt(opAt);
        String word = expand(expr.substring(opAt + 1), env);
        boolean set = value != null && (!colon || !value.isEmpty());
        switch (op) {
            case '-':
                return set ? value : word;
            case '+':
                return set ? word : "";
            case '?':
                if (!set) {
                    throw EngineException.invalid(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                }
                return value;
            default:
                throw EngineException.invalid("unsupported modifier (" + op + ") in substitution");
        }
    }

    private static int matchingBrace(String w, int open) {
        int depth = 0;
        for (int i = open; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c == ESCAPE) {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c) && c < 128;
    }
}
