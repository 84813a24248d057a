package keel.engine.api.container;

/**
 * Docker's {@code State}: {@code status} is created, running, paused, restarting, removing, exited or dead;
 * times are RFC 3339 with nanoseconds ({@code 0001-01-01T00:00:00Z} when not yet), as Docker writes them.
 */
public record ContainerState(String status, boolean running, boolean paused, boolean restarting,
        boolean oomKilled, boolean dead, long pid, int exitCode, String error, String startedAt,
        String finishedAt) {}
