package io.tessera.server.sql;

import java.io.IOException;

/** Streams a script's results in one output format; chosen by an exhaustive switch over {@link OutputFormat}. */
interface ResultWriter extends QueryRunner.RowConsumer {

    /** Writes the rest of the body after the last statement. */
    void finish(QueryRunner.Outcome outcome, double seconds, Notices notices) throws IOException;

    /** The body has started and a statement failed: close the body with CARTO's trailing {@code "error"} key. */
    void failMidStream(String message, double seconds, Notices notices) throws IOException;

    /** True once bytes of the body have been committed to the client. */
    boolean started();
}
