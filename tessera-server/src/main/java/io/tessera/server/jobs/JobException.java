package io.tessera.server.jobs;

/** A request about a job that the job's state refuses; each API words it in its own error shape. */
public abstract sealed class JobException extends Exception {
    JobException(String message) {
        super(message, null, false, false);
    }

    /** The lane already holds the configured number of pending jobs. */
    public static final class QueueFull extends JobException {
        private final int limit;

        public QueueFull(int limit) {
            super("queue full (" + limit + ")");
            this.limit = limit;
        }

        public int limit() {
            return limit;
        }
    }

    /**
     * The job cannot go from its current status to the one asked for. {@code from} is the status the
     * job shows: a running job with a cancel requested shows {@code cancelled}.
     */
    public static final class IllegalTransition extends JobException {
        private final JobStatus from;
        private final JobStatus to;

        public IllegalTransition(JobStatus from, JobStatus to) {
            super("Cannot set status from " + from.wire() + " to " + to.wire());
            this.from = from;
            this.to = to;
        }

        public JobStatus from() {
            return from;
        }

        public JobStatus to() {
            return to;
        }
    }

    /** No job with that id (or it belongs to another user, or was purged). */
    public static final class NotFound extends JobException {
        public NotFound(java.util.UUID id) {
            super("Job with id " + id + " not found");
        }
    }
}
