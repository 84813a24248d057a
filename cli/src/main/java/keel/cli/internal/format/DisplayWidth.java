package keel.cli.internal.format;

/**
 * Terminal columns a string takes (East Asian wide and full-width characters count two, combining marks none),
 * which is what docker's tabwriter (go-runewidth) and Ellipsis measure.
 */
public final class DisplayWidth {

    private DisplayWidth() {
    }

    public static int of(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += of(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    public static int of(int cp) {
        if (cp < 0x300) {
            return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || cp == 0x200b) {
            return 0;
        }
        if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f)
                || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff)
                || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
                || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f)
                || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)) {
            return 2;
        }
        return 1;
    }

    /**
     * docker's formatter.Ellipsis: cut to {@code max} columns, the last one an ellipsis; a width of one keeps the
     * first character alone.
     */
    public static String ellipsis(String s, int max) {
        if (max <= 0) {
            return "";
        }
        int[] cps = s.codePoints().toArray();
        if (max == 1) {
            return cps.length == 0 ? "" : new String(cps, 0, 1);
        }
        if (of(s) <= max) {
            return s;
        }
        int width = 0;
        StringBuilder sb = new StringBuilder();
        for (int cp : cps) {
            int w = of(cp);
            if (width + w > max - 1) {
                break;
            }
            width += w;
            sb.appendCodePoint(cp);
        }
        return sb.append('…').toString();
    }
}
