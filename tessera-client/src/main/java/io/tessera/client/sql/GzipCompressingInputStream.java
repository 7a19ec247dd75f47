package io.tessera.client.sql;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/**
 * Reads {@code source} gzip-compressed (level 1, as carto-python sends COPY uploads), on the caller's thread and
 * in bounded memory: the gzip header, the raw deflate stream, then the CRC-32 and length trailer once the source
 * has ended.
 */
final class GzipCompressingInputStream extends SequenceInputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    GzipCompressingInputStream(InputStream source) {
        this(new CheckedInputStream(source, new CRC32()), new Deflater(Deflater.BEST_SPEED, true));
    }

    private GzipCompressingInputStream(CheckedInputStream checked, Deflater deflater) {
        super(Collections.enumeration(List.of(
                new ByteArrayInputStream(HEADER),
                new DeflaterInputStream(checked, deflater, 64 * 1024),
                new Trailer(checked, deflater))));
    }

    /** The 8-byte trailer, computed when first read (after the deflate stream ended). */
    private static final class Trailer extends InputStream {
        private final CheckedInputStream checked;
        private final Deflater deflater;
        private InputStream bytes;

        Trailer(CheckedInputStream checked, Deflater deflater) {
            this.checked = checked;
            this.deflater = deflater;
        }

        private InputStream bytes() {
            if (bytes == null) {
                long crc = checked.getChecksum().getValue();
                long size = deflater.getBytesRead();
                byte[] t = new byte[8];
                for (int i = 0; i < 4; i++) {
                    t[i] = (byte) (crc >>> (8 * i));
                    t[4 + i] = (byte) (size >>> (8 * i));
                }
                deflater.end();
                bytes = new ByteArrayInputStream(t);
            }
            return bytes;
        }

        @Override
        public int read() throws IOException {
            return bytes().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return bytes().read(b, off, len);
        }
    }
}
