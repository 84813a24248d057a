package keel.engine.core.internal.container.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import keel.engine.api.container.MountSpec;
import keel.engine.api.errors.EngineException;

/**
 * The option lists of tmpfs mounts ({@code --tmpfs /run:rw,size=64m} and {@code --mount type=tmpfs}), built as
 * Docker builds them: its defaults {@code noexec,nosuid,nodev,rprivate} first, the user's after, then duplicates
 * removed keeping the last one (moby/sys/mount MergeTmpfsOptions), so {@code exec} given by the user wins over
 * the default {@code noexec}.
 */
final class TmpfsMountOptions {

    private TmpfsMountOptions() {}

    /** Flags (the key is what they collide on) as moby/sys/mount knows them; everything else must be key=value. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("ro", "rdonly"), Map.entry("rw", "rdonly"),
            Map.entry("suid", "nosuid"), Map.entry("nosuid", "nosuid"),
            Map.entry("dev", "nodev"), Map.entry("nodev", "nodev"),
            Map.entry("exec", "noexec"), Map.entry("noexec", "noexec"),
            Map.entry("sync", "sync"), Map.entry("async", "sync"),
            Map.entry("dirsync", "dirsync"), Map.entry("remount", "remount"),
            Map.entry("mand", "mand"), Map.entry("nomand", "mand"),
            Map.entry("atime", "noatime"), Map.entry("noatime", "noatime"),
            Map.entry("diratime", "nodiratime"), Map.entry("nodiratime", "nodiratime"),
            Map.entry("relatime", "relatime"), Map.entry("norelatime", "relatime"),
            Map.entry("strictatime", "strictatime"), Map.entry("nostrictatime", "strictatime"),
            // propagation flags share one key: a mount has one propagation
            Map.entry("bind", "propagation"), Map.entry("rbind", "propagation"),
            Map.entry("unbindable", "propagation"), Map.entry("runbindable", "propagation"),
            Map.entry("private", "propagation"), Map.entry("rprivate", "propagation"),
            Map.entry("shared", "propagation"), Map.entry("rshared", "propagation"),
            Map.entry("slave", "propagation"), Map.entry("rslave", "propagation"));

    private static final Set<String> DATA_KEYS = Set.of("", "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks",
            "mpol");

    /** The spec options of a tmpfs mount whose user data is {@code data} (comma-separated, may be empty). */
    static List<String> forData(String data) {
        List<String> options = new ArrayList<>(List.of("noexec", "nosuid", "nodev", "rprivate"));
        if (data != null && !data.isEmpty()) {
            options.addAll(List.of(data.split(",", -1)));
        }
        return merge(options);
    }

    /** Removes duplicates, the last occurrence winning, in the order the survivors appeared. */
    static List<String> merge(List<String> options) {
        Set<String> flagSeen = new HashSet<>();
        Set<String> dataSeen = new HashSet<>();
        LinkedList<String> out = new LinkedList<>();
        for (int i = options.size() - 1; i >= 0; i--) {
            String option = options.get(i);
            if (option.equals("defaults")) {
                continue;
            }
            String flagKey = FLAGS.get(option);
            if (flagKey != null) {
                if (flagSeen.add(flagKey)) {
                    out.addFirst(option);
                }
                continue;
            }
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            if (eq < 0 || !DATA_KEYS.contains(key)) {
                List<String> parts = eq < 0 ? List.of(option) : List.of(key, option.substring(eq + 1));
                throw EngineException.invalid("invalid tmpfs option " + GoQuoted.ofList(parts));
            }
            if (dataSeen.add(key)) {
                out.addFirst(option);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The data string of a {@code --mount type=tmpfs} (moby volume/mounts ConvertTmpfsOptions): {@code ro} when
     * read-only, the mode in octal, the size with the largest exact binary suffix.
     */
    static String dataOf(MountSpec.TmpfsOptions opt, boolean readOnly) {
        List<String> raw = new ArrayList<>();
        if (readOnly) {
            raw.add("ro");
        }
        if (opt != null && opt.mode() != null && opt.mode() != 0) {
            raw.add("mode=" + Integer.toOctalString(opt.mode()));
        }
        if (opt != null && opt.sizeBytes() != null && opt.sizeBytes() != 0) {
            long size = opt.sizeBytes();
            String suffix = "";
            if (size % (1L << 30) == 0) {
                size /= 1L << 30;
                suffix = "g";
            } else if (size % (1L << 20) == 0) {
                size /= 1L << 20;
                suffix = "m";
            } else if (size % (1L << 10) == 0) {
                size /= 1L << 10;
                suffix = "k";
            }
            raw.add("size=" + size + suffix);
        }
        return String.join(",", raw);
    }
}
