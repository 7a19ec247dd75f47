package io.tessera.server.jobs;

/** The mechanism's own job states; a kind may show finer ones in its wire format (from the job's state). */
public enum JobStatus {
    PENDING, RUNNING, DONE, FAILED, CANCELLED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static JobStatus fromWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }

    /** Done, failed and cancelled never change again. */
    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
