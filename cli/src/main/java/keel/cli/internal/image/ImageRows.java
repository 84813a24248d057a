package keel.cli.internal.image;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.cli.internal.format.GoStruct;
import keel.cli.internal.format.HumanUnits;
import keel.cli.internal.format.GoTime;

/**
 * The rows of {@code docker images} (formatter.imageContext): one row per repository and tag (and digest when
 * asked), "&lt;none&gt;" for dangling images, IDs cut to 12 hex digits unless --no-trunc.
 */
final class ImageRows {

    static final Map<String, String> HEADER = new LinkedHashMap<>();

    static {
        HEADER.put("ID", "IMAGE ID");
        HEADER.put("Repository", "REPOSITORY");
        HEADER.put("Tag", "TAG");
        HEADER.put("Digest", "DIGEST");
        HEADER.put("CreatedSince", "CREATED");
        HEADER.put("CreatedAt", "CREATED AT");
        HEADER.put("Size", "SIZE");
        HEADER.put("Containers", "CONTAINERS");
        HEADER.put("VirtualSize", "SIZE");
        HEADER.put("SharedSize", "SHARED SIZE");
        HEADER.put("UniqueSize", "UNIQUE SIZE");
    }

    static final String TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}"
            + "{{else}}N/A{{end}}\t{{.Size}}";
    static final String TABLE_WITH_DIGEST = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t"
            + "{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";

    private ImageRows() {
    }

    /** formatter.NewImageFormat. */
    static String format(String source, boolean quiet, boolean digest) {
        if (source.equals("table")) {
            return quiet ? "{{.ID}}" : digest ? TABLE_WITH_DIGEST : TABLE;
        }
        if (source.equals("raw")) {
            if (quiet) {
                return "image_id: {{.ID}}";
            }
            return digest
                    ? "repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: {{.ID}}\n"
                            + "created_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n"
                    : "repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\n"
                            + "virtual_size: {{.Size}}\n";
        }
        if (source.startsWith("table") && digest && !source.contains("{{.Digest}}")) {
            return source + "\t{{.Digest}}";
        }
        return source;
    }

    static boolean isDangling(List<?> tags, List<?> digests) {
        if (tags.isEmpty() && digests.isEmpty()) {
            return true;
        }
        return tags.size() == 1 && "<none>:<none>".equals(tags.get(0)) && digests.size() == 1
                && "<none>@<none>".equals(digests.get(0));
    }

    static List<GoStruct> build(List<?> images, boolean trunc, boolean showDigest, String format, Instant now,
            ZoneId zone) {
        boolean needDigest = showDigest || format.contains("{{.Digest}}");
        List<GoStruct> rows = new ArrayList<>();
        for (Object o : images) {
            if (!(o instanceof Map)) {
                continue;
            }
            Map<?, ?> img = (Map<?, ?>) o;
            List<?> tags = list(img.get("RepoTags"));
            List<?> digests = list(img.get("RepoDigests"));
            if (isDangling(tags, digests)) {
                rows.add(row(img, trunc, "<none>", "<none>", "<none>", now, zone));
                continue;
            }
            Map<String, List<String>> repoTags = new LinkedHashMap<>();
            Map<String, List<String>> repoDigests = new LinkedHashMap<>();
            for (Object t : tags) {
                try {
                    ImageReference ref = ImageReference.parseNormalized(String.valueOf(t));
                    if (ref.tag() != null) {
                        repoTags.computeIfAbsent(ref.familiarName(), k -> new ArrayList<>()).add(ref.tag());
                    }
                } catch (IllegalArgumentException skipped) {
                    // docker skips references it cannot parse
                }
            }
            for (Object d : digests) {
                try {
                    ImageReference ref = ImageReference.parseNormalized(String.valueOf(d));
                    if (ref.digest() != null) {
                        repoDigests.computeIfAbsent(ref.familiarName(), k -> new ArrayList<>()).add(ref.digest());
                    }
                } catch (IllegalArgumentException skipped) {
                    // as above
                }
            }
            for (Map.Entry<String, List<String>> e : repoTags.entrySet()) {
                String repo = e.getKey();
                List<String> ds = repoDigests.remove(repo);
                if (!needDigest) {
                    ds = null;
                }
                for (String tag : e.getValue()) {
                    if (ds == null || ds.isEmpty()) {
                        rows.add(row(img, trunc, repo, tag, "<none>", now, zone));
                        continue;
                    }
                    for (String d : ds) {
                        rows.add(row(img, trunc, repo, tag, d, now, zone));
                    }
                }
            }
            for (Map.Entry<String, List<String>> e : repoDigests.entrySet()) {
                if (showDigest) {
                    for (String d : e.getValue()) {
                        rows.add(row(img, trunc, e.getKey(), "<none>", d, now, zone));
                    }
                } else {
                    rows.add(row(img, trunc, e.getKey(), "<none>", "", now, zone));
                }
            }
        }
        return rows;
    }

    private static GoStruct row(Map<?, ?> img, boolean trunc, String repo, String tag, String digest, Instant now,
            ZoneId zone) {
        String id = str(img.get("Id"));
        long created = num(img.get("Created"));
        long size = num(img.get("Size"));
        // Missing numbers decode to Go's zero value, as in docker's image.Summary; the daemon sends -1 for "unknown".
        long shared = num(img.get("SharedSize"));
        long containers = num(img.get("Containers"));
        GoStruct s = new GoStruct("*formatter.imageContext");
        s.put("Containers", containers == -1 ? "N/A" : Long.toString(containers));
        s.put("CreatedAt", GoTime.string(created, zone));
        s.put("CreatedSince", HumanUnits.humanDuration(Duration.between(Instant.ofEpochSecond(created), now)) + " ago");
        s.put("Digest", digest);
        s.put("ID", trunc ? truncateId(id) : id);
        s.put("Repository", repo);
        s.put("SharedSize", shared == -1 ? "N/A" : HumanUnits.humanSize(shared));
        s.put("Size", HumanUnits.humanSizeWithPrecision(size, 3));
        s.put("Tag", tag);
        s.put("UniqueSize", size == -1 || shared == -1 ? "N/A" : HumanUnits.humanSize(size - shared));
        s.put("VirtualSize", HumanUnits.humanSize(size));
        return s;
    }

    /** stringid.TruncateID: drop the algorithm, keep 12 characters. */
    static String truncateId(String id) {
        int colon = id.indexOf(':');
        if (colon >= 0) {
            id = id.substring(colon + 1);
        }
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static List<?> list(Object o) {
        return o instanceof List ? (List<?>) o : List.of();
    }

    static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    static long num(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }
}
