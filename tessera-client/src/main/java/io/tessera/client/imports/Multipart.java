package io.tessera.client.imports;

import io.tessera.client.CartoException;
import io.tessera.client.http.ApiRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

/** The multipart body of an upload (one part, {@code file}, as {@code curl -F file=@…} sends), streamed. */
final class Multipart {
    private Multipart() {
    }

    static ApiRequest file(ApiRequest req, Path path, UploadProgress progress) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new CartoException("cannot read " + path + ": " + e.getMessage(), e);
        }
        Supplier<InputStream> data = () -> {
            try {
                return Files.newInputStream(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        return stream(req, new ImportSource.Stream(data, path.getFileName().toString(), size), progress);
    }

    static ApiRequest stream(ApiRequest req, ImportSource.Stream s, UploadProgress progress) {
        String boundary = "tessera-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + s.filename().replace("\"", "") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        Supplier<BodyPublisher> publisher = () -> {
            BodyPublisher body = BodyPublishers.concat(BodyPublishers.ofByteArray(head),
                    BodyPublishers.ofInputStream(() -> new Counting(s.data().get(), s.length(), progress)),
                    BodyPublishers.ofByteArray(tail));
            return s.length() < 0 ? body : BodyPublishers.fromPublisher(body, head.length + s.length() + tail.length);
        };
        return req.withBody("multipart/form-data; boundary=" + boundary, publisher);
    }

    /** Reports bytes as the HTTP client reads them. */
    private static final class Counting extends FilterInputStream {
        private final long total;
        private final UploadProgress progress;
        private long sent;

        Counting(InputStream in, long total, UploadProgress progress) {
            super(in);
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sent += n;
                progress.sent(sent, total);
            }
            return n;
        }
    }
}
