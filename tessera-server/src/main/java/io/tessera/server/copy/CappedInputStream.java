package io.tessera.server.copy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read through it (after any gunzip) and fails once they pass the configured cap. */
final class CappedInputStream extends FilterInputStream {
    /** The upload passed the cap; the COPY is aborted. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("upload too large", null);
        }
    }

    private final long cap;
    private long count;

    CappedInputStream(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(int n) throws TooLarge {
        count += n;
        if (count > cap) {
            throw new TooLarge();
        }
    }
}
