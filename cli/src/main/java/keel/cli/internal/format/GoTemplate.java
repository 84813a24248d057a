package keel.cli.internal.format;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.cli.internal.format.TemplateLexer.Kind;
import keel.cli.internal.format.TemplateLexer.Token;

/**
 * Go's text/template, the part docker's {@code --format} users rely on: fields and field chains, variables,
 * pipelines, parenthesised pipelines, {@code if/else if/else}, {@code with}, {@code range} (with index and
 * element variables, {@code break}/{@code continue}), comments and trim markers, docker's functions ({@code json},
 * {@code join}, {@code split}, {@code upper}, {@code lower}, {@code title}, {@code pad}, {@code truncate}) and Go's
 * builtins ({@code index}, {@code len}, {@code slice}, {@code eq}/{@code ne}/{@code lt}/..., {@code and}/{@code or}/
 * {@code not}, {@code print}/{@code printf}/{@code println}). Error messages follow Go's wording and positions,
 * because docker prints them verbatim after "template parsing error: ".
 */
public final class GoTemplate {

    /** A function callable from a template; it gets the evaluated arguments. */
    @FunctionalInterface
    public interface Function {
        Object call(List<Object> args) throws TemplateException;
    }

    final String name;
    final String source;
    final TemplateNodes.ListNode root;
    final Map<String, Function> functions;
    final TemplateLexer lexer;

    private GoTemplate(String name, String source, TemplateNodes.ListNode root, Map<String, Function> functions,
            TemplateLexer lexer) {
        this.name = name;
        this.source = source;
        this.root = root;
        this.functions = functions;
        this.lexer = lexer;
    }

    /** Parses with docker's basic functions. */
    public static GoTemplate parse(String source) throws TemplateException {
        return parse("", source, TemplateFunctions.basic());
    }

    public static GoTemplate parse(String name, String source, Map<String, Function> functions)
            throws TemplateException {
        TemplateLexer lexer = new TemplateLexer(name, source);
        List<Token> tokens = lexer.lex();
        Parser p = new Parser(name, tokens, functions, lexer);
        TemplateNodes.ListNode root = p.parseTemplate();
        return new GoTemplate(name, source, root, functions, lexer);
    }

    /** Runs the template on {@code data}; with {@code missingKeyError} a missing map key fails as Go's option. */
    public String execute(Object data, boolean missingKeyError) throws TemplateException {
        StringBuilder out = new StringBuilder();
        execute(out, data, missingKeyError, functions);
        return out.toString();
    }

    /** Runs with other functions of the same names (docker's header functions); output stays in {@code out}. */
    public void execute(StringBuilder out, Object data, boolean missingKeyError, Map<String, Function> funcs)
            throws TemplateException {
        new TemplateExecutor(this, out, data, missingKeyError, funcs).run();
    }

    /** Line and column of a source position, as Go's ErrorContext ("1:2"). */
    String location(int pos) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return line + ":" + (pos - lineStart);
    }

    /** Recursive-descent parser over the lexer's tokens (mirrors text/template/parse). */
    private static final class Parser {
        private final String name;
        private final List<Token> tokens;
        private final Map<String, Function> functions;
        private final TemplateLexer lexer;
        private int i;
        private final List<Set<String>> vars = new ArrayList<>();

        Parser(String name, List<Token> tokens, Map<String, Function> functions, TemplateLexer lexer) {
            this.name = name;
            this.tokens = tokens;
            this.functions = functions;
            this.lexer = lexer;
            Set<String> top = new HashSet<>();
            top.add("$");
            vars.add(top);
        }

        private TemplateException error(Token at, String message) {
            return new TemplateException("template: " + name + ":" + lexer.line(at.pos) + ": " + message);
        }

        private Token peek() {
            return tokens.get(i);
        }

        private Token next() {
            return tokens.get(i++);
        }

        TemplateNodes.ListNode parseTemplate() throws TemplateException {
            TemplateNodes.ListNode list = new TemplateNodes.ListNode(0);
            Token end = itemList(list);
            if (end.kind != Kind.EOF) {
                throw error(end, "unexpected {{" + end.text + "}}");
            }
            return list;
        }

        /** Parses nodes until {{end}}, {{else}} or EOF, and returns that token (the keyword, or EOF). */
        private Token itemList(TemplateNodes.ListNode list) throws TemplateException {
            while (true) {
                Token t = next();
                switch (t.kind) {
                    case EOF:
                        return t;
                    case TEXT:
                        list.nodes.add(new TemplateNodes.TextNode(t.pos, t.text));
                        break;
                    case LEFT: {
                        Token k = peek();
                        if (k.kind == Kind.KEYWORD) {
                            switch (k.text) {
                                case "end":
                                case "else":
                                    next();
                                    return k;
                                default:
                                    list.nodes.add(keywordAction(next()));
                                    break;
                            }
                        } else {
                            TemplateNodes.PipeNode pipe = pipeline("command", Kind.RIGHT, false);
                            list.nodes.add(new TemplateNodes.ActionNode(k.pos, pipe));
                        }
                        break;
                    }
                    default:
                        throw error(t, "unexpected " + t.text);
                }
            }
        }

        private TemplateNodes.Node keywordAction(Token k) throws TemplateException {
            switch (k.text) {
                case "if":
                case "with":
                case "range":
                    return control(k);
                case "break":
                case "continue": {
                    Token r = next();
                    if (r.kind != Kind.RIGHT) {
                        throw error(r, "unexpected " + r.text + " in {{" + k.text + "}}");
                    }
                    return new TemplateNodes.LoopControlNode(k.pos, k.text.equals("break"));
                }
                default:
                    throw error(k, "{{" + k.text + "}} is not supported by keel");
            }
        }

        private TemplateNodes.Node control(Token k) throws TemplateException {
            vars.add(new HashSet<>());
            try {
                TemplateNodes.PipeNode pipe = pipeline(k.text, Kind.RIGHT, k.text.equals("range"));
                TemplateNodes.ListNode list = new TemplateNodes.ListNode(k.pos);
                Token end = itemList(list);
                TemplateNodes.ListNode elseList = null;
                if (end.kind == Kind.KEYWORD && end.text.equals("else")) {
                    // "{{else if ...}}" / "{{else with ...}}" chain into a nested control that owns the {{end}}.
                    Token after = peek();
                    if (after.kind == Kind.KEYWORD && (after.text.equals("if") || after.text.equals("with"))
                            && !k.text.equals("range")) {
                        next();
                        elseList = new TemplateNodes.ListNode(after.pos);
                        elseList.nodes.add(control(after));
                        return new TemplateNodes.ControlNode(k.pos, k.text, pipe, list, elseList);
                    }
                    Token r = next();
                    if (r.kind != Kind.RIGHT) {
                        throw error(r, "unexpected " + r.text + " in else");
                    }
                    elseList = new TemplateNodes.ListNode(r.pos);
                    end = itemList(elseList);
                }
                if (end.kind != Kind.KEYWORD || !end.text.equals("end")) {
                    throw error(end, end.kind == Kind.EOF ? "unexpected EOF" : "unexpected {{" + end.text + "}}");
                }
                Token r = next();
                if (r.kind != Kind.RIGHT) {
                    throw error(r, "unexpected " + r.text + " in end");
                }
                return new TemplateNodes.ControlNode(k.pos, k.text, pipe, list, elseList);
            } finally {
                vars.remove(vars.size() - 1);
            }
        }

        private boolean declared(String var) {
            for (Set<String> s : vars) {
                if (s.contains(var)) {
                    return true;
                }
            }
            return false;
        }

        private TemplateNodes.PipeNode pipeline(String context, Kind end, boolean range) throws TemplateException {
            Token start = peek();
            TemplateNodes.PipeNode pipe = new TemplateNodes.PipeNode(start.pos);
            // Declarations: $x := ..., $x = ..., and in range $i, $v := ...
            if (peek().kind == Kind.VARIABLE) {
                Token v = tokens.get(i);
                Token op = tokens.get(i + 1);
                if (op.kind == Kind.DECLARE || op.kind == Kind.ASSIGN) {
                    i += 2;
                    pipe.decl.add(v.text);
                    pipe.assign = op.kind == Kind.ASSIGN;
                } else if (op.kind == Kind.COMMA && range && tokens.get(i + 2).kind == Kind.VARIABLE
                        && (tokens.get(i + 3).kind == Kind.DECLARE || tokens.get(i + 3).kind == Kind.ASSIGN)) {
                    pipe.decl.add(v.text);
                    pipe.decl.add(tokens.get(i + 2).text);
                    pipe.assign = tokens.get(i + 3).kind == Kind.ASSIGN;
                    i += 4;
                }
                if (pipe.assign) {
                    for (String d : pipe.decl) {
                        if (!declared(d)) {
                            throw error(v, "undefined variable \"" + d + "\"");
                        }
                    }
                }
            }
            while (true) {
                Token t = peek();
                if (t.kind == end) {
                    next();
                    break;
                }
                if (t.kind == Kind.RIGHT || t.kind == Kind.RPAREN || t.kind == Kind.EOF) {
                    throw error(t, "unexpected " + describe(t) + " in " + context);
                }
                pipe.cmds.add(command(end));
            }
            if (pipe.cmds.isEmpty()) {
                throw error(start, "missing value for " + context);
            }
            if (!pipe.assign) {
                vars.get(vars.size() - 1).addAll(pipe.decl);
            }
            for (int c = 1; c < pipe.cmds.size(); c++) {
                TemplateNodes.Node first = pipe.cmds.get(c).args.get(0);
                if (first instanceof TemplateNodes.LiteralNode) {
                    throw error(start, "non executable command in pipeline stage " + (c + 1));
                }
            }
            return pipe;
        }

        private static String describe(Token t) {
            switch (t.kind) {
                case RIGHT: return "\"}}\"";
                case RPAREN: return "\")\"";
                case EOF: return "EOF";
                default: return "\"" + t.text + "\"";
            }
        }

        private TemplateNodes.CommandNode command(Kind end) throws TemplateException {
            TemplateNodes.CommandNode cmd = new TemplateNodes.CommandNode(peek().pos);
            while (true) {
                Token t = peek();
                if (t.kind == Kind.PIPE) {
                    next();
                    if (cmd.args.isEmpty()) {
                        throw error(t, "missing command");
                    }
                    return cmd;
                }
                if (t.kind == end || t.kind == Kind.RIGHT || t.kind == Kind.RPAREN) {
                    if (cmd.args.isEmpty()) {
                        throw error(t, "missing command");
                    }
                    return cmd;
                }
                if (!cmd.args.isEmpty() && !t.spaceBefore) {
                    throw error(t, "missing space?");
                }
                cmd.args.add(operand());
            }
        }

        private TemplateNodes.Node operand() throws TemplateException {
            TemplateNodes.Node term = term();
            List<String> chain = new ArrayList<>();
            while (peek().kind == Kind.FIELD && !peek().spaceBefore) {
                chain.add(next().text.substring(1));
            }
            if (chain.isEmpty()) {
                return term;
            }
            if (term instanceof TemplateNodes.FieldNode) {
                ((TemplateNodes.FieldNode) term).ident.addAll(chain);
                return term;
            }
            if (term instanceof TemplateNodes.VariableNode) {
                ((TemplateNodes.VariableNode) term).ident.addAll(chain);
                return term;
            }
            if (term instanceof TemplateNodes.LiteralNode || term instanceof TemplateNodes.DotNode) {
                throw error(peek(), "unexpected . after term \"" + term + "\"");
            }
            return new TemplateNodes.ChainNode(term.pos, term, chain);
        }

        private TemplateNodes.Node term() throws TemplateException {
            Token t = next();
            switch (t.kind) {
                case IDENT:
                    if (!functions.containsKey(t.text)) {
                        throw error(t, "function \"" + t.text + "\" not defined");
                    }
                    return new TemplateNodes.IdentifierNode(t.pos, t.text);
                case DOT:
                    return new TemplateNodes.DotNode(t.pos);
                case NIL:
                    return new TemplateNodes.LiteralNode(t.pos, t.text, TemplateNodes.NIL_LITERAL);
                case VARIABLE:
                    if (!declared(t.text)) {
                        throw error(t, "undefined variable \"" + t.text + "\"");
                    }
                    return new TemplateNodes.VariableNode(t.pos, t.text);
                case FIELD: {
                    TemplateNodes.FieldNode f = new TemplateNodes.FieldNode(t.pos);
                    f.ident.add(t.text.substring(1));
                    return f;
                }
                case BOOL:
                    return new TemplateNodes.LiteralNode(t.pos, t.text, Boolean.valueOf(t.text));
                case NUMBER:
                    return new TemplateNodes.LiteralNode(t.pos, t.text, number(t));
                case STRING:
                    return new TemplateNodes.LiteralNode(t.pos, t.text, unquote(t));
                case RAW_STRING:
                    return new TemplateNodes.LiteralNode(t.pos, t.text, t.text.substring(1, t.text.length() - 1));
                case CHAR: {
                    String body = unquote(new Token(Kind.STRING, "\"" + t.text.substring(1, t.text.length() - 1)
                            + "\"", t.pos, false));
                    return new TemplateNodes.LiteralNode(t.pos, t.text, (long) body.codePointAt(0));
                }
                case LPAREN: {
                    TemplateNodes.PipeNode p = pipeline("parenthesized pipeline", Kind.RPAREN, false);
                    p.parenthesized = true;
                    return p;
                }
                default:
                    throw error(t, "unexpected " + describe(t) + " in operand");
            }
        }

        private Object number(Token t) throws TemplateException {
            String s = t.text.replace("_", "");
            try {
                if (s.startsWith("0x") || s.startsWith("0X") || s.startsWith("-0x")) {
                    boolean neg = s.startsWith("-");
                    long v = Long.parseLong(s.substring(neg ? 3 : 2), 16);
                    return neg ? -v : v;
                }
                if (s.matches("[+-]?\\d+")) {
                    return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
                }
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw error(t, "bad number syntax: \"" + t.text + "\"");
            }
        }

        private String unquote(Token t) throws TemplateException {
            String s = t.text.substring(1, t.text.length() - 1);
            StringBuilder sb = new StringBuilder(s.length());
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (++k >= s.length()) {
                    throw error(t, "invalid syntax");
                }
                char e = s.charAt(k);
                switch (e) {
                    case 'n': sb.append('\n'); break;
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'a': sb.append('\u0007'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'v': sb.append('\u000b'); break;
                    case '\\': sb.append('\\'); break;
                    case '"': sb.append('"'); break;
                    case '\'': sb.append('\''); break;
                    case 'x':
                        sb.append((char) Integer.parseInt(s.substring(k + 1, k + 3), 16));
                        k += 2;
                        break;
                    case 'u':
                        sb.append((char) Integer.parseInt(s.substring(k + 1, k + 5), 16));
                        k += 4;
                        break;
                    case 'U':
                        sb.appendCodePoint(Integer.parseInt(s.substring(k + 1, k + 9), 16));
                        k += 8;
                        break;
                    default:
                        throw error(t, "invalid syntax");
                }
            }
            return sb.toString();
        }
    }
}
