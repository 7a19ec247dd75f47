package io.tessera.cli;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for a copy on standard error: megabytes moved (of the file's size when known) and rows seen
 * (newlines, which is rows for text and CSV without quoted line breaks). Wraps the stream the data goes through.
 */
final class CopyProgress implements AutoCloseable {
    private static final long MB = 1 << 20;

    private final ProgressBar bar;
    private long bytes;
    private long rows;

    CopyProgress(String task, long totalBytes, PrintStream err) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes > 0 ? totalBytes : -1)
                .setUnit(" MB", MB).showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(err)).continuousUpdate().build();
    }

    long rows() {
        return rows;
    }

    private void count(byte[] b, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (b[i] == '\n') {
                rows++;
            }
        }
        bytes += n;
        bar.stepTo(bytes);
        bar.setExtraMessage(String.format("%,d rows", rows));
    }

    InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count(b, off, n);
                }
                return n;
            }
        };
    }

    OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                count(b, off, len);
            }
        };
    }

    @Override
    public void close() {
        bar.close();
    }
}
