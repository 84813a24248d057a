package keel.cli.internal.format;

import java.util.ArrayList;
import java.util.List;

/** The parse tree of a {@link GoTemplate}; {@code toString} gives Go's node text used in error messages. */
final class TemplateNodes {

    static final Object NIL_LITERAL = new Object();

    private TemplateNodes() {
    }

    abstract static class Node {
        final int pos;

        Node(int pos) {
            this.pos = pos;
        }
    }

    static final class ListNode extends Node {
        final List<Node> nodes = new ArrayList<>();

        ListNode(int pos) {
            super(pos);
        }
    }

    static final class TextNode extends Node {
        final String text;

        TextNode(int pos, String text) {
            super(pos);
            this.text = text;
        }
    }

    static final class ActionNode extends Node {
        final PipeNode pipe;

        ActionNode(int pos, PipeNode pipe) {
            super(pos);
            this.pipe = pipe;
        }
    }

    /** if / with / range. */
    static final class ControlNode extends Node {
        final String keyword;
        final PipeNode pipe;
        final ListNode list;
        final ListNode elseList;

        ControlNode(int pos, String keyword, PipeNode pipe, ListNode list, ListNode elseList) {
            super(pos);
            this.keyword = keyword;
            this.pipe = pipe;
            this.list = list;
            this.elseList = elseList;
        }
    }

    static final class LoopControlNode extends Node {
        final boolean isBreak;

        LoopControlNode(int pos, boolean isBreak) {
            super(pos);
            this.isBreak = isBreak;
        }
    }

    static final class PipeNode extends Node {
        final List<String> decl = new ArrayList<>();
        boolean assign;
        boolean parenthesized;
        final List<CommandNode> cmds = new ArrayList<>();

        PipeNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (!decl.isEmpty()) {
                sb.append(String.join(", ", decl)).append(assign ? " = " : " := ");
            }
            for (int i = 0; i < cmds.size(); i++) {
                if (i > 0) {
                    sb.append(" | ");
                }
                sb.append(cmds.get(i));
            }
            return parenthesized ? "(" + sb + ")" : sb.toString();
        }
    }

    static final class CommandNode extends Node {
        final List<Node> args = new ArrayList<>();

        CommandNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(args.get(i));
            }
            return sb.toString();
        }
    }

    static final class FieldNode extends Node {
        final List<String> ident = new ArrayList<>();

        FieldNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (String s : ident) {
                sb.append('.').append(s);
            }
            return sb.toString();
        }
    }

    static final class VariableNode extends Node {
        final List<String> ident = new ArrayList<>();

        VariableNode(int pos, String name) {
            super(pos);
            ident.add(name);
        }

        @Override
        public String toString() {
            return String.join(".", ident);
        }
    }

    static final class ChainNode extends Node {
        final Node node;
        final List<String> field;

        ChainNode(int pos, Node node, List<String> field) {
            super(pos);
            this.node = node;
            this.field = field;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(node.toString());
            for (String f : field) {
                sb.append('.').append(f);
            }
            return sb.toString();
        }
    }

    static final class IdentifierNode extends Node {
        final String name;

        IdentifierNode(int pos, String name) {
            super(pos);
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final class DotNode extends Node {
        DotNode(int pos) {
            super(pos);
        }

        @Override
        public String toString() {
            return ".";
        }
    }

    /** Numbers, strings, booleans and nil, with their source text. */
    static final class LiteralNode extends Node {
        final String text;
        final Object value;

        LiteralNode(int pos, String text, Object value) {
            super(pos);
            this.text = text;
            this.value = value;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
