package keel.cli.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import keel.cli.internal.json.JsonReader;

/** The Go text/template subset behind --format, with Go's printing and error messages. */
class GoTemplateTest {

    private static Object json(String s) throws Exception {
        return JsonReader.parse(s);
    }

    private static String run(String template, Object data) throws Exception {
        return GoTemplate.parse(template).execute(data, false);
    }

    private static final String IMAGE = "{\"Id\":\"sha256:abc\",\"RepoTags\":[\"busybox:latest\",\"busybox:1.36\"],"
            + "\"Size\":4261574,\"Config\":{\"Cmd\":[\"sh\",\"-c\"],\"Env\":[\"A=1\"],\"Labels\":{\"b\":\"2\",\"a\":\"1\"},"
            + "\"Entrypoint\":null,\"Tty\":false},\"Os\":\"linux\"}";

    @Test
    void fieldsAndNestedFields() throws Exception {
        Object d = json(IMAGE);
        assertEquals("sha256:abc linux 4261574", run("{{.Id}} {{.Os}} {{.Size}}", d));
        assertEquals("[sh -c]", run("{{.Config.Cmd}}", d));
        assertEquals("map[a:1 b:2]", run("{{.Config.Labels}}", d));
        assertEquals("<no value>", run("{{.Config.Entrypoint}}", d));
        assertEquals("<no value>", run("{{.Missing}}", d));
        assertEquals("false", run("{{.Config.Tty}}", d));
    }

    @Test
    void jsonFunction() throws Exception {
        Object d = json(IMAGE);
        assertEquals("[\"sh\",\"-c\"]", run("{{json .Config.Cmd}}", d));
        assertEquals("{\"b\":\"2\",\"a\":\"1\"}", run("{{json .Config.Labels}}", d));
        assertEquals("null", run("{{json .Config.Entrypoint}}", d));
        assertEquals("\"<none>\"", run("{{json .}}", "<none>"));
    }

    @Test
    void indexJoinLenSplitCase() throws Exception {
        Object d = json(IMAGE);
        assertEquals("busybox:latest", run("{{index .RepoTags 0}}", d));
        assertEquals("1", run("{{index .Config.Labels \"a\"}}", d));
        assertEquals("busybox:latest,busybox:1.36", run("{{join .RepoTags \",\"}}", d));
        assertEquals("2", run("{{len .RepoTags}}", d));
        assertEquals("[a b c]", run("{{split \"a:b:c\" \":\"}}", d));
        assertEquals("LINUX linux", run("{{upper .Os}} {{lower \"LINUX\"}}", d));
        assertEquals("LINUX", run("{{.Os | upper}}", d));
        assertEquals("Hello World", run("{{title \"hello world\"}}", d));
        assertEquals("  x ", run("{{pad \"x\" 2 1}}", d));
        assertEquals("abc", run("{{truncate \"abcdef\" 3}}", d));
    }

    @Test
    void rangeWithVariablesElseBreakContinue() throws Exception {
        Object d = json(IMAGE);
        assertEquals("busybox:latest;busybox:1.36;", run("{{range .RepoTags}}{{.}};{{end}}", d));
        assertEquals("0=busybox:latest 1=busybox:1.36 ", run("{{range $i, $t := .RepoTags}}{{$i}}={{$t}} {{end}}", d));
        assertEquals("a=1,b=2,", run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}", d));
        assertEquals("none", run("{{range .Nothing}}x{{else}}none{{end}}", d));
        assertEquals("busybox:latest", run("{{range .RepoTags}}{{.}}{{break}}{{end}}", d));
        assertEquals("busybox:1.36", run("{{range $i, $t := .RepoTags}}{{if eq $i 0}}{{continue}}{{end}}{{$t}}{{end}}", d));
        assertEquals("root:sha256:abc", run("{{range .RepoTags}}{{end}}root:{{$.Id}}", d));
    }

    @Test
    void ifElseWithAndComparisons() throws Exception {
        Object d = json(IMAGE);
        assertEquals("big", run("{{if gt .Size 1000}}big{{else}}small{{end}}", d));
        assertEquals("linux!", run("{{if eq .Os \"windows\"}}win{{else if eq .Os \"linux\"}}linux!{{end}}", d));
        assertEquals("sh", run("{{with .Config}}{{index .Cmd 0}}{{end}}", d));
        assertEquals("no ep", run("{{with .Config.Entrypoint}}ep{{else}}no ep{{end}}", d));
        assertEquals("true", run("{{if and .Os .Size}}true{{end}}", d));
        assertEquals("linux", run("{{or .Missing .Os}}", d));
        assertEquals("true", run("{{not .Config.Tty}}", d));
        assertEquals("yes", run("{{if ne .Os \"x\"}}yes{{end}}", d));
        assertEquals("a-b", run("{{$x := \"a\"}}{{$x}}-{{$x = \"b\"}}{{$x}}", d));
    }

    @Test
    void trimMarkersAndComments() throws Exception {
        assertEquals("a|b", run("a  {{- \"|\" -}}  \n b", null));
        assertEquals("xy", run("x{{/* a comment */}}y", null));
        assertEquals("x-3", run("x{{-3}}", null));
    }

    @Test
    void printfAndPrint() throws Exception {
        assertEquals("id=abc size=   42", run("{{printf \"id=%s size=%5d\" \"abc\" 42}}", null));
        assertEquals("a1 2", run("{{print \"a\" 1 2}}", null));
        assertEquals("\"q\"", run("{{printf \"%q\" \"q\"}}", null));
    }

    @Test
    void goPrintingOfNestedValues() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("L", new ArrayList<>(Arrays.asList("a", null, 2L)));
        m.put("M", new LinkedHashMap<>(Map.of("k", List.of("v"))));
        m.put("F", 1.5);
        m.put("E", 1e6);
        m.put("S", GoNil.SLICE);
        m.put("P", GoNil.MAP);
        assertEquals("[a <nil> 2] map[k:[v]] 1.5 1e+06 [] map[]", run("{{.L}} {{.M}} {{.F}} {{.E}} {{.S}} {{.P}}", m));
    }

    @Test
    void structFieldErrorsLikeDocker() {
        GoStruct row = new GoStruct("*formatter.imageContext").put("ID", "abc");
        TemplateException e = assertThrows(TemplateException.class, () -> run("{{.ID}} {{.Foo}}", row));
        assertEquals("template: :1:10: executing \"\" at <.Foo>: can't evaluate field Foo in type "
                + "*formatter.imageContext", e.getMessage());
    }

    @Test
    void missingKeyErrorOption() throws Exception {
        Object d = json(IMAGE);
        TemplateException e = assertThrows(TemplateException.class,
                () -> GoTemplate.parse("{{.Foo}}").execute(d, true));
        assertEquals("template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"", e.getMessage());
    }

    @Test
    void parseAndCallErrors() throws Exception {
        assertEquals("template: :1: function \"nope\" not defined",
                assertThrows(TemplateException.class, () -> GoTemplate.parse("{{nope .}}")).getMessage());
        assertEquals("template: :1: unclosed action",
                assertThrows(TemplateException.class, () -> GoTemplate.parse("{{.Foo")).getMessage());
        assertEquals("template: :1: unexpected EOF",
                assertThrows(TemplateException.class, () -> GoTemplate.parse("{{if .X}}")).getMessage());
        Object d = json(IMAGE);
        assertEquals("template: :1:2: executing \"\" at <index .RepoTags 5>: error calling index: index out of "
                + "range: 5", assertThrows(TemplateException.class, () -> run("{{index .RepoTags 5}}", d)).getMessage());
        assertEquals("template: :1:2: executing \"\" at <join .RepoTags>: wrong number of args for join: want 2 got 1",
                assertThrows(TemplateException.class, () -> run("{{join .RepoTags}}", d)).getMessage());
    }
}
