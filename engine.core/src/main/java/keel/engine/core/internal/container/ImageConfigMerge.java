package keel.engine.core.internal.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import keel.engine.api.container.ContainerConfig;
import keel.engine.api.container.ContainerConfig.HealthConfig;
import keel.engine.api.errors.EngineException;

/**
 * Completes a create request's config with its image's, field by field as Docker does (daemon/commit.go merge and
 * create.go mergeAndVerifyConfig): the request wins where it says something; Env and Labels and ExposedPorts and
 * Volumes are unions with the request's entries first; Cmd comes from the image only when the request names
 * neither an entrypoint nor a command, and the image's Entrypoint only when the request leaves it unset
 * ({@code --entrypoint ""}, sent as {@code [""]}, clears it).
 */
final class ImageConfigMerge {

    private ImageConfigMerge() {}

    static ContainerConfig merge(ContainerConfig user, ContainerConfig image) {
        ContainerConfig.Builder b = user.toBuilder();
        if (image != null) {
            if (empty(user.user())) {
                b.user(image.user());
            }
            b.exposedPorts(union(user.exposedPorts(), image.exposedPorts()));
            b.env(mergeEnv(user.env(), image.env()));
            Map<String, String> labels = user.labels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(user.labels());
            if (image.labels() != null) {
                image.labels().forEach(labels::putIfAbsent);
            }
            b.labels(labels);
            if (user.entrypoint() == null || user.entrypoint().isEmpty()) {
                if (user.cmd() == null || user.cmd().isEmpty()) {
                    b.cmd(image.cmd());
                }
                if (user.entrypoint() == null) {
                    b.entrypoint(image.entrypoint());
                }
            }
            b.healthcheck(mergeHealth(user.healthcheck(), image.healthcheck()));
            if (empty(user.workingDir())) {
                b.workingDir(image.workingDir());
            }
            b.volumes(union(user.volumes(), image.volumes()));
            if (empty(user.stopSignal())) {
                b.stopSignal(image.stopSignal());
            }
        } else if (user.labels() == null) {
            b.labels(new LinkedHashMap<>());
        }
        ContainerConfig merged = b.build();
        if (merged.entrypoint() != null && merged.entrypoint().size() == 1 && merged.entrypoint().get(0).isEmpty()) {
            merged = merged.toBuilder().entrypoint(null).build();
        }
        if ((merged.entrypoint() == null || merged.entrypoint().isEmpty())
                && (merged.cmd() == null || merged.cmd().isEmpty())) {
            throw EngineException.invalid("no command specified");
        }
        return merged;
    }

    private static List<String> mergeEnv(List<String> user, List<String> image) {
        if (user == null || user.isEmpty()) {
            return image == null ? user : new ArrayList<>(image);
        }
        List<String> out = new ArrayList<>(user);
        if (image != null) {
            for (String e : image) {
                String key = key(e);
                boolean found = false;
                for (String u : user) {
                    if (key(u).equals(key)) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static String key(String env) {
        int eq = env.indexOf('=');
        return eq < 0 ? env : env.substring(0, eq);
    }

    private static HealthConfig mergeHealth(HealthConfig user, HealthConfig image) {
        if (image == null) {
            return user;
        }
        if (user == null) {
            return image;
        }
        return new HealthConfig(
                user.test() == null || user.test().isEmpty() ? image.test() : user.test(),
                zero(user.interval()) ? image.interval() : user.interval(),
                zero(user.timeout()) ? image.timeout() : user.timeout(),
                zero(user.startPeriod()) ? image.startPeriod() : user.startPeriod(),
                zero(user.startInterval()) ? image.startInterval() : user.startInterval(),
                user.retries() == null || user.retries() == 0 ? image.retries() : user.retries());
    }

    private static Map<String, Map<String, Object>> union(Map<String, Map<String, Object>> user,
            Map<String, Map<String, Object>> image) {
        if (user == null || user.isEmpty()) {
            return image;
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>(user);
        if (image != null) {
            image.forEach(out::putIfAbsent);
        }
        return out;
    }

    private static boolean zero(Long v) {
        return v == null || v == 0;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
