package keel.engine.core.internal.container;

import java.time.Duration;

import keel.engine.api.container.HostConfig;

/**
 * Docker's restart manager: whether a container that exited is started again by its restart policy, and after how
 * long. The delay starts at 100 ms and doubles up to a minute; a run that lasted 10 s or more resets it. A
 * container stopped or killed by the user is not restarted ({@code ExitOnNext}); {@code unless-stopped} also
 * remembers that across daemon restarts.
 */
final class RestartPolicies {

    static final long FIRST_DELAY_MILLIS = 100;
    static final long MAX_DELAY_MILLIS = 60_000;

    private RestartPolicies() {}

    /** The decision and the delay before the start; {@code delayMillis} is the backoff to remember. */
    record Decision(boolean restart, long delayMillis) {}

    static Decision decide(HostConfig.RestartPolicy policy, int exitCode, boolean manuallyStopped, Duration ran,
            int restartCount, long previousDelayMillis) {
        String name = policy == null || policy.name() == null ? "" : policy.name();
        if (name.isEmpty() || name.equals("no")) {
            return new Decision(false, previousDelayMillis);
        }
        long delay = previousDelayMillis;
        if (ran != null && ran.getSeconds() >= 10) {
            delay = 0;
        }
        delay = delay == 0 ? FIRST_DELAY_MILLIS : Math.min(delay * 2, MAX_DELAY_MILLIS);
        boolean restart = switch (name) {
            case "always" -> true;
            case "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> {
                int max = policy.maximumRetryCount() == null ? 0 : policy.maximumRetryCount();
                yield exitCode != 0 && (max == 0 || restartCount < max);
            }
            default -> false;
        };
        return new Decision(restart, delay);
    }
}
