package keel.cli.internal.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import keel.cli.internal.format.TemplateNodes.ActionNode;
import keel.cli.internal.format.TemplateNodes.ChainNode;
import keel.cli.internal.format.TemplateNodes.CommandNode;
import keel.cli.internal.format.TemplateNodes.ControlNode;
import keel.cli.internal.format.TemplateNodes.DotNode;
import keel.cli.internal.format.TemplateNodes.FieldNode;
import keel.cli.internal.format.TemplateNodes.IdentifierNode;
import keel.cli.internal.format.TemplateNodes.ListNode;
import keel.cli.internal.format.TemplateNodes.LiteralNode;
import keel.cli.internal.format.TemplateNodes.LoopControlNode;
import keel.cli.internal.format.TemplateNodes.Node;
import keel.cli.internal.format.TemplateNodes.PipeNode;
import keel.cli.internal.format.TemplateNodes.TextNode;
import keel.cli.internal.format.TemplateNodes.VariableNode;

/** Walks a template's tree over data (text/template/exec semantics). */
final class TemplateExecutor {

    /** No value piped in from a previous command (distinct from a nil that was piped in). */
    private static final Object NO_FINAL = new Object();

    private static final class LoopBreak extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean isBreak;

        LoopBreak(boolean isBreak) {
            super(null, null, false, false);
            this.isBreak = isBreak;
        }
    }

    private final GoTemplate tmpl;
    private final StringBuilder out;
    private final Object root;
    private final boolean missingKeyError;
    private final Map<String, GoTemplate.Function> funcs;
    private final List<String> varNames = new ArrayList<>();
    private final List<Object> varValues = new ArrayList<>();
    private Node current;

    TemplateExecutor(GoTemplate tmpl, StringBuilder out, Object root, boolean missingKeyError,
            Map<String, GoTemplate.Function> funcs) {
        this.tmpl = tmpl;
        this.out = out;
        this.root = root;
        this.missingKeyError = missingKeyError;
        this.funcs = funcs;
    }

    void run() throws TemplateException {
        push("$", root);
        try {
            walk(root, tmpl.root);
        } catch (LoopBreak b) {
            throw error("{{" + (b.isBreak ? "break" : "continue") + "}} outside {{range}}");
        }
    }

    private TemplateException error(String message) {
        String where = current == null ? "" : tmpl.location(current.pos) + ": ";
        String at = current == null ? "" : " at <" + current + ">";
        return new TemplateException("template: " + tmpl.name + ":" + where + "executing \"" + tmpl.name + "\""
                + at + ": " + message);
    }

    private void push(String name, Object value) {
        varNames.add(name);
        varValues.add(value);
    }

    private int mark() {
        return varNames.size();
    }

    private void pop(int mark) {
        while (varNames.size() > mark) {
            varNames.remove(varNames.size() - 1);
            varValues.remove(varValues.size() - 1);
        }
    }

    private void setVar(String name, Object value) throws TemplateException {
        for (int i = varNames.size() - 1; i >= 0; i--) {
            if (varNames.get(i).equals(name)) {
                varValues.set(i, value);
                return;
            }
        }
        throw error("undefined variable: " + name);
    }

    private void setTopVar(int n, Object value) {
        varValues.set(varValues.size() - n, value);
    }

    private Object varValue(String name) throws TemplateException {
        for (int i = varNames.size() - 1; i >= 0; i--) {
            if (varNames.get(i).equals(name)) {
                return varValues.get(i);
            }
        }
        throw error("undefined variable: " + name);
    }

    private void walk(Object dot, Node node) throws TemplateException {
        if (node instanceof TextNode) {
            out.append(((TextNode) node).text);
        } else if (node instanceof ListNode) {
            for (Node n : ((ListNode) node).nodes) {
                walk(dot, n);
            }
        } else if (node instanceof ActionNode) {
            current = ((ActionNode) node).pipe;
            Object v = evalPipeline(dot, ((ActionNode) node).pipe);
            if (((ActionNode) node).pipe.decl.isEmpty()) {
                out.append(GoValues.print(v, true));
            }
        } else if (node instanceof ControlNode) {
            ControlNode c = (ControlNode) node;
            if (c.keyword.equals("range")) {
                walkRange(dot, c);
            } else {
                int mark = mark();
                current = c.pipe;
                Object v = evalPipeline(dot, c.pipe);
                if (GoValues.isTrue(v)) {
                    walk(c.keyword.equals("with") ? v : dot, c.list);
                } else if (c.elseList != null) {
                    walk(dot, c.elseList);
                }
                pop(mark);
            }
        } else if (node instanceof LoopControlNode) {
            throw new LoopBreak(((LoopControlNode) node).isBreak);
        }
    }

    private void walkRange(Object dot, ControlNode r) throws TemplateException {
        current = r.pipe;
        int mark = mark();
        Object v = evalPipeline(dot, r.pipe);
        int iterations = 0;
        try {
            if (v instanceof Map) {
                for (Map.Entry<?, ?> e : GoValues.sorted((Map<?, ?>) v).entrySet()) {
                    iterations++;
                    if (!rangeOnce(r, e.getKey(), e.getValue())) {
                        break;
                    }
                }
            } else if (v instanceof Long || v instanceof Integer) {
                long n = ((Number) v).longValue();
                for (long i = 0; i < n; i++) {
                    iterations++;
                    if (!rangeOnce(r, i, i)) {
                        break;
                    }
                }
            } else if (v == null || v == GoNil.MAP || v == GoNil.SLICE) {
                // Go: ranging over nothing is not an error, it just runs the else branch.
            } else {
                List<Object> list = GoValues.asList(v);
                if (list == null) {
                    current = r.pipe;
                    throw error("range can't iterate over " + GoValues.print(v, true));
                }
                long index = 0;
                for (Object elem : list) {
                    iterations++;
                    if (!rangeOnce(r, index++, elem)) {
                        break;
                    }
                }
            }
        } finally {
            pop(mark);
        }
        if (iterations == 0 && r.elseList != null) {
            walk(dot, r.elseList);
        }
    }

    /** One iteration; false after {{break}}. */
    private boolean rangeOnce(ControlNode r, Object index, Object elem) throws TemplateException {
        int mark = mark();
        if (!r.pipe.decl.isEmpty()) {
            if (r.pipe.assign) {
                setVar(r.pipe.decl.get(r.pipe.decl.size() - 1), elem);
                if (r.pipe.decl.size() > 1) {
                    setVar(r.pipe.decl.get(0), index);
                }
            } else {
                setTopVar(1, elem);
                if (r.pipe.decl.size() > 1) {
                    setTopVar(2, index);
                }
            }
        }
        try {
            walk(elem, r.list);
        } catch (LoopBreak b) {
            pop(mark);
            return !b.isBreak;
        }
        pop(mark);
        return true;
    }

    private Object evalPipeline(Object dot, PipeNode pipe) throws TemplateException {
        Object value = NO_FINAL;
        for (CommandNode cmd : pipe.cmds) {
            value = evalCommand(dot, cmd, value);
        }
        for (String v : pipe.decl) {
            if (pipe.assign) {
                setVar(v, value);
            } else {
                push(v, value);
            }
        }
        return value;
    }

    private Object evalCommand(Object dot, CommandNode cmd, Object fin) throws TemplateException {
        Node first = cmd.args.get(0);
        current = first;
        if (first instanceof FieldNode) {
            return evalFieldChain(dot, dot, first, ((FieldNode) first).ident, cmd.args, fin);
        }
        if (first instanceof ChainNode) {
            ChainNode c = (ChainNode) first;
            if (c.field.isEmpty()) {
                throw error("internal error: no fields in evalChainNode");
            }
            Object pipe = evalArg(dot, c.node);
            current = first;
            return evalFieldChain(dot, pipe, first, c.field, cmd.args, fin);
        }
        if (first instanceof IdentifierNode) {
            return evalFunction(dot, (IdentifierNode) first, cmd, cmd.args, fin);
        }
        if (first instanceof VariableNode) {
            VariableNode v = (VariableNode) first;
            Object value = varValue(v.ident.get(0));
            if (v.ident.size() == 1) {
                notAFunction(cmd.args, fin);
                return value;
            }
            return evalFieldChain(dot, value, first, v.ident.subList(1, v.ident.size()), cmd.args, fin);
        }
        notAFunction(cmd.args, fin);
        if (first instanceof PipeNode) {
            int mark = mark();
            Object v = evalPipeline(dot, (PipeNode) first);
            pop(mark);
            return v;
        }
        if (first instanceof DotNode) {
            return dot;
        }
        if (first instanceof LiteralNode) {
            Object value = ((LiteralNode) first).value;
            if (value == TemplateNodes.NIL_LITERAL) {
                throw error("nil is not a command");
            }
            return value;
        }
        throw error("can't evaluate command " + first);
    }

    private void notAFunction(List<Node> args, Object fin) throws TemplateException {
        if (args.size() > 1 || fin != NO_FINAL) {
            throw error("can't give argument to non-function " + args.get(0));
        }
    }

    private Object evalFieldChain(Object dot, Object receiver, Node node, List<String> ident, List<Node> args,
            Object fin) throws TemplateException {
        int n = ident.size();
        for (int i = 0; i < n - 1; i++) {
            receiver = evalField(ident.get(i), receiver, false);
        }
        boolean hasArgs = args.size() > 1 || fin != NO_FINAL;
        String last = ident.get(n - 1);
        if (receiver instanceof GoStruct && ((GoStruct) receiver).get(last) instanceof GoMethod) {
            GoMethod m = (GoMethod) ((GoStruct) receiver).get(last);
            List<Object> values = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) {
                values.add(evalArg(dot, args.get(i)));
            }
            if (fin != NO_FINAL) {
                values.add(fin);
            }
            current = node;
            if (values.size() != m.arity()) {
                throw error("wrong number of args for " + last + ": want " + m.arity() + " got " + values.size());
            }
            return m.call(values);
        }
        return evalField(last, receiver, hasArgs);
    }

    private Object evalField(String field, Object receiver, boolean hasArgs) throws TemplateException {
        if (receiver == null) {
            throw error("nil pointer evaluating interface {}." + field);
        }
        if (receiver instanceof Map || receiver == GoNil.MAP) {
            if (hasArgs) {
                throw error(field + " is not a method but has arguments");
            }
            Map<?, ?> m = receiver instanceof Map ? (Map<?, ?>) receiver : Map.of();
            if (m.containsKey(field)) {
                return m.get(field);
            }
            if (missingKeyError) {
                throw error("map has no entry for key \"" + field + "\"");
            }
            return null;
        }
        if (receiver instanceof GoStruct) {
            GoStruct s = (GoStruct) receiver;
            if (s.has(field)) {
                Object v = s.get(field);
                if (v instanceof GoMethod) {
                    GoMethod m = (GoMethod) v;
                    if (m.arity() != 0) {
                        throw error("wrong number of args for " + field + ": want " + m.arity() + " got 0");
                    }
                    return m.call(List.of());
                }
                if (hasArgs) {
                    throw error(field + " has arguments but cannot be invoked as function");
                }
                return v;
            }
        }
        if (receiver == GoNil.POINTER) {
            throw error("nil pointer evaluating " + GoValues.typeName(receiver) + "." + field);
        }
        throw error("can't evaluate field " + field + " in type " + GoValues.typeName(receiver));
    }

    private Object evalArg(Object dot, Node n) throws TemplateException {
        current = n;
        if (n instanceof DotNode) {
            return dot;
        }
        if (n instanceof LiteralNode) {
            Object v = ((LiteralNode) n).value;
            return v == TemplateNodes.NIL_LITERAL ? null : v;
        }
        if (n instanceof FieldNode) {
            return evalFieldChain(dot, dot, n, ((FieldNode) n).ident, List.of(n), NO_FINAL);
        }
        if (n instanceof VariableNode) {
            VariableNode v = (VariableNode) n;
            Object value = varValue(v.ident.get(0));
            if (v.ident.size() == 1) {
                return value;
            }
            return evalFieldChain(dot, value, n, v.ident.subList(1, v.ident.size()), List.of(n), NO_FINAL);
        }
        if (n instanceof PipeNode) {
            int mark = mark();
            Object v = evalPipeline(dot, (PipeNode) n);
            pop(mark);
            return v;
        }
        if (n instanceof ChainNode) {
            ChainNode c = (ChainNode) n;
            Object base = evalArg(dot, c.node);
            current = n;
            return evalFieldChain(dot, base, n, c.field, List.of(n), NO_FINAL);
        }
        if (n instanceof IdentifierNode) {
            CommandNode single = new CommandNode(n.pos);
            single.args.add(n);
            return evalFunction(dot, (IdentifierNode) n, single, single.args, NO_FINAL);
        }
        throw error("can't handle " + n + " for arg");
    }

    private Object evalFunction(Object dot, IdentifierNode id, CommandNode cmd, List<Node> args, Object fin)
            throws TemplateException {
        GoTemplate.Function f = funcs.get(id.name);
        if (f == null) {
            throw error("\"" + id.name + "\" is not a defined function");
        }
        // and/or evaluate lazily: the first deciding argument is the result.
        if (id.name.equals("and") || id.name.equals("or")) {
            boolean isAnd = id.name.equals("and");
            List<Node> rest = args.subList(1, args.size());
            if (rest.isEmpty() && fin == NO_FINAL) {
                current = cmd;
                throw error("wrong number of args for " + id.name + ": want at least 1 got 0");
            }
            Object v = null;
            for (Node a : rest) {
                v = evalArg(dot, a);
                if (GoValues.isTrue(v) != isAnd) {
                    return v;
                }
            }
            if (fin != NO_FINAL) {
                v = fin;
            }
            return v;
        }
        List<Object> values = new ArrayList<>(args.size());
        for (int i = 1; i < args.size(); i++) {
            values.add(evalArg(dot, args.get(i)));
        }
        if (fin != NO_FINAL) {
            values.add(fin);
        }
        current = cmd;
        try {
            return f.call(values);
        } catch (TemplateFunctions.CallError e) {
            throw error(e.getMessage());
        } catch (TemplateException e) {
            throw error("error calling " + id.name + ": " + e.getMessage());
        }
    }
}
