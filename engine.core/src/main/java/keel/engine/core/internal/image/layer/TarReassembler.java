package keel.engine.core.internal.image.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds a layer's original tar from its tar-split record and the layer's tree (the driver's mount of it): the
 * recorded bytes as they were, each regular file's content read from the tree. Drivers cannot regenerate the
 * original bytes themselves (entry order, header fields, PAX records differ), and without the original bytes a
 * saved layer would not match the DiffID its image config names.
 */
public final class TarReassembler {

    private TarReassembler() {}

    /**
     * Writes the tar to {@code out}.
     *
     * @return bytes written
     * @throws IOException when the tree does not hold a file the record names, or holds it with another size
     */
    public static long assemble(Path record, Path root, OutputStream out) throws IOException {
        byte[] buf = new byte[128 * 1024];
        long written = 0;
        try (TarSplitReader r = TarSplitReader.open(record)) {
            for (TarSplitReader.Segment s = r.next(); s != null; s = r.next()) {
                if (!s.isFile()) {
                    out.write(s.raw());
                    written += s.raw().length;
                    continue;
                }
                try (SeekableByteChannel ch = openInTree(root, s.path())) {
                    if (ch.size() != s.size()) {
                        throw new IOException("layer content changed: " + s.path() + " has " + ch.size()
                                + " bytes, the layer was recorded with " + s.size());
                    }
                    InputStream in = Channels.newInputStream(ch);
                    long left = s.size();
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new IOException("layer content changed: " + s.path() + " is shorter than recorded");
                        }
                        out.write(buf, 0, n);
                        left -= n;
                    }
                    written += s.size();
                }
            }
            if (written != r.total()) {
                throw new IOException("corrupt tar-split record: rebuilt " + written + " bytes, expected " + r.total());
            }
        }
        return written;
    }

    /**
     * Opens a regular file of the tree by its tar name without following symbolic links anywhere on the way, so a
     * tree that changed (or a crafted record) cannot make the engine read files outside the layer.
     */
    static SeekableByteChannel openInTree(Path root, String tarName) throws IOException {
        List<String> parts = cleanName(tarName);
        if (parts.isEmpty()) {
            throw new IOException("invalid file name in layer record: " + tarName);
        }
        Path p = root;
        for (int i = 0; i < parts.size(); i++) {
            p = p.resolve(parts.get(i));
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean last = i == parts.size() - 1;
            if (last ? !a.isRegularFile() : !a.isDirectory()) {
                throw new IOException("layer content changed: " + tarName + " is not a regular file in the layer");
            }
        }
        return Files.newByteChannel(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    /** A tar member name as path components: no leading {@code /} or {@code ./}, no {@code .} parts; {@code ..} refused. */
    static List<String> cleanName(String name) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || part.indexOf('\0') >= 0) {
                throw new IOException("invalid file name in layer record: " + name);
            }
            parts.add(part);
        }
        return parts;
    }
}
