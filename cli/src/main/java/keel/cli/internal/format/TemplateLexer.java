package keel.cli.internal.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a template into text and action tokens as Go's text/template lexer does, including the trim markers
 * ({@code {{- } and { -}}}) and comments.
 */
final class TemplateLexer {

    enum Kind {
        TEXT, LEFT, RIGHT, FIELD, IDENT, VARIABLE, STRING, RAW_STRING, CHAR, NUMBER, BOOL, NIL, DOT, PIPE,
        LPAREN, RPAREN, DECLARE, ASSIGN, COMMA, KEYWORD, EOF
    }

    static final class Token {
        final Kind kind;
        final String text;
        final int pos;
        final boolean spaceBefore;

        Token(Kind kind, String text, int pos, boolean spaceBefore) {
            this.kind = kind;
            this.text = text;
            this.pos = pos;
            this.spaceBefore = spaceBefore;
        }

        @Override
        public String toString() {
            return kind == Kind.EOF ? "EOF" : text;
        }
    }

    private final String src;
    private final String name;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    TemplateLexer(String name, String src) {
        this.name = name;
        this.src = src;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private TemplateException error(String message, int at) {
        return new TemplateException("template: " + name + ":" + line(at) + ": " + message);
    }

    int line(int at) {
        int line = 1;
        for (int i = 0; i < at && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    List<Token> lex() throws TemplateException {
        int n = src.length();
        boolean trimNext = false;
        while (pos <= n) {
            int open = src.indexOf("{{", pos);
            int textEnd = open < 0 ? n : open;
            boolean trimLeft = open >= 0 && open + 3 < n && src.charAt(open + 2) == '-'
                    && isSpace(src.charAt(open + 3));
            int start = pos;
            if (trimNext) {
                while (start < textEnd && isSpace(src.charAt(start))) {
                    start++;
                }
            }
            int end = textEnd;
            if (trimLeft) {
                while (end > start && isSpace(src.charAt(end - 1))) {
                    end--;
                }
            }
            if (end > start) {
                tokens.add(new Token(Kind.TEXT, src.substring(start, end), start, false));
            }
            if (open < 0) {
                break;
            }
            pos = open + 2;
            if (trimLeft) {
                pos += 2;
            }
            // A comment fills the whole action: {{/* ... */}}.
            if (src.startsWith("/*", pos)) {
                int close = src.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw error("unclosed comment", open);
                }
                pos = close + 2;
                boolean trimRight = false;
                if (pos + 1 < n && isSpace(src.charAt(pos)) && src.charAt(pos + 1) == '-'
                        && src.startsWith("}}", pos + 2)) {
                    trimRight = true;
                    pos += 2;
                }
                if (!src.startsWith("}}", pos)) {
                    throw error("comment ends before closing delimiter", open);
                }
                pos += 2;
                trimNext = trimRight;
                continue;
            }
            tokens.add(new Token(Kind.LEFT, "{{", open, false));
            trimNext = lexAction(open);
        }
        tokens.add(new Token(Kind.EOF, "", n, false));
        return tokens;
    }

    /** Lexes inside {{ }}; returns whether the action ended with a right trim marker. */
    private boolean lexAction(int open) throws TemplateException {
        int n = src.length();
        int parens = 0;
        boolean space = true;
        while (true) {
            if (pos >= n) {
                throw error("unclosed action", open);
            }
            char c = src.charAt(pos);
            // Right delimiter, with or without the trim marker " -}}".
            if (isSpace(c) && pos + 1 < n && src.charAt(pos + 1) == '-' && src.startsWith("}}", pos + 2)) {
                if (parens > 0) {
                    throw error("unclosed left paren", pos);
                }
                tokens.add(new Token(Kind.RIGHT, "}}", pos + 2, true));
                pos += 4;
                return true;
            }
            if (c == '}' && src.startsWith("}}", pos)) {
                if (parens > 0) {
                    throw error("unclosed left paren", pos);
                }
                tokens.add(new Token(Kind.RIGHT, "}}", pos, space));
                pos += 2;
                return false;
            }
            if (isSpace(c)) {
                space = true;
                pos++;
                continue;
            }
            int start = pos;
            if (c == '|') {
                add(Kind.PIPE, start, ++pos, space);
            } else if (c == '(') {
                parens++;
                add(Kind.LPAREN, start, ++pos, space);
            } else if (c == ')') {
                parens--;
                if (parens < 0) {
                    throw error("unexpected right paren", start);
                }
                add(Kind.RPAREN, start, ++pos, space);
            } else if (c == ',') {
                add(Kind.COMMA, start, ++pos, space);
            } else if (c == '=') {
                add(Kind.ASSIGN, start, ++pos, space);
            } else if (c == ':') {
                if (pos + 1 < n && src.charAt(pos + 1) == '=') {
                    pos += 2;
                    add(Kind.DECLARE, start, pos, space);
                } else {
                    throw error("expected :=", start);
                }
            } else if (c == '"') {
                pos++;
                while (true) {
                    if (pos >= n || src.charAt(pos) == '\n') {
                        throw error("unterminated quoted string", start);
                    }
                    char d = src.charAt(pos);
                    if (d == '\\') {
                        pos += 2;
                        continue;
                    }
                    pos++;
                    if (d == '"') {
                        break;
                    }
                }
                add(Kind.STRING, start, pos, space);
            } else if (c == '`') {
                int close = src.indexOf('`', pos + 1);
                if (close < 0) {
                    throw error("unterminated raw quoted string", start);
                }
                pos = close + 1;
                add(Kind.RAW_STRING, start, pos, space);
            } else if (c == '\'') {
                pos++;
                while (pos < n && src.charAt(pos) != '\'') {
                    if (src.charAt(pos) == '\\') {
                        pos++;
                    }
                    pos++;
                }
                if (pos >= n) {
                    throw error("unterminated character constant", start);
                }
                pos++;
                add(Kind.CHAR, start, pos, space);
            } else if (c == '$') {
                pos++;
                while (pos < n && isAlnum(src.charAt(pos))) {
                    pos++;
                }
                add(Kind.VARIABLE, start, pos, space);
            } else if (c == '.') {
                if (pos + 1 < n && Character.isDigit(src.charAt(pos + 1))) {
                    lexNumber(start, space);
                } else if (pos + 1 < n && isAlnum(src.charAt(pos + 1))) {
                    pos++;
                    while (pos < n && isAlnum(src.charAt(pos))) {
                        pos++;
                    }
                    add(Kind.FIELD, start, pos, space);
                } else {
                    add(Kind.DOT, start, ++pos, space);
                }
            } else if (c == '+' || c == '-' || Character.isDigit(c)) {
                lexNumber(start, space);
            } else if (isAlnum(c)) {
                while (pos < n && isAlnum(src.charAt(pos))) {
                    pos++;
                }
                String word = src.substring(start, pos);
                Kind k;
                switch (word) {
                    case "true":
                    case "false":
                        k = Kind.BOOL;
                        break;
                    case "nil":
                        k = Kind.NIL;
                        break;
                    case "if": case "else": case "end": case "range": case "with": case "define":
                    case "template": case "block": case "break": case "continue":
                        k = Kind.KEYWORD;
                        break;
                    default:
                        k = Kind.IDENT;
                }
                add(k, start, pos, space);
            } else {
                throw error("unexpected \"" + c + "\" in command", start);
            }
            space = false;
        }
    }

    private void lexNumber(int start, boolean space) throws TemplateException {
        int n = src.length();
        if (src.charAt(pos) == '+' || src.charAt(pos) == '-') {
            pos++;
        }
        while (pos < n) {
            char d = src.charAt(pos);
            if (Character.isLetterOrDigit(d) || d == '.' || d == '_'
                    || ((d == '+' || d == '-') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E'
                            || src.charAt(pos - 1) == 'p' || src.charAt(pos - 1) == 'P'))) {
                pos++;
            } else {
                break;
            }
        }
        add(Kind.NUMBER, start, pos, space);
    }

    private static boolean isAlnum(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private void add(Kind kind, int start, int end, boolean space) {
        tokens.add(new Token(kind, src.substring(start, end), start, space));
    }
}
