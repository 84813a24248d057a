package keel.cli.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** docker's formatter.Context.Write: table headers from the column map, json, raw templates. */
class ListFormatterTest {

    private static final Map<String, String> HEADER = Map.of("ID", "IMAGE ID", "Repository", "REPOSITORY",
            "CreatedSince", "CREATED");

    private static List<GoStruct> rows() {
        return List.of(new GoStruct("*formatter.imageContext").put("ID", "a416a98b71e2").put("Repository", "busybox")
                        .put("CreatedSince", "3 hours ago"),
                new GoStruct("*formatter.imageContext").put("ID", "0123456789ab").put("Repository", "<none>")
                        .put("CreatedSince", "About a minute ago"));
    }

    @Test
    void tableHeaderIsTheTemplateRunOverColumnNames() throws Exception {
        assertEquals("REPOSITORY:IMAGE ID    CREATED\n"
                + "busybox:a416a98b71e2   3 hours ago\n"
                + "<none>:0123456789ab    About a minute ago\n",
                ListFormatter.render("table {{.Repository}}:{{.ID}}\\t{{.CreatedSince}}", HEADER, rows()));
    }

    @Test
    void headerFunctionsLeaveColumnNamesAlone() throws Exception {
        assertEquals("REPOSITORY\nBUSYBOX\n<NONE>\n",
                ListFormatter.render("table {{upper .Repository}}", HEADER, rows()));
    }

    @Test
    void jsonRowsAreSortedAndHtmlEscaped() throws Exception {
        assertEquals("{\"CreatedSince\":\"3 hours ago\",\"ID\":\"a416a98b71e2\",\"Repository\":\"busybox\"}\n"
                + "{\"CreatedSince\":\"About a minute ago\",\"ID\":\"0123456789ab\",\"Repository\":\"\\u003cnone\\u003e\"}\n",
                ListFormatter.render("json", HEADER, rows()));
    }

    @Test
    void plainTemplateHasNoHeader() throws Exception {
        assertEquals("busybox\n<none>\n", ListFormatter.render("{{.Repository}}", HEADER, rows()));
    }
}
