package io.tessera.client.imports;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/** What an import reads: a local file, a stream with a file name, or a URL the server downloads. */
public sealed interface ImportSource {
    /** A local file, uploaded as multipart field {@code file}. */
    record File(Path path) implements ImportSource {
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A stream uploaded under {@code filename}; {@code length} is its size if known (else -1, sent chunked).
     * The supplier is called once per attempt.
     */
    record Stream(Supplier<InputStream> data, String filename, long length) implements ImportSource {
        public Stream {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(filename, "filename");
        }
    }

    /** A URL the server fetches ({@code ?url=…}, empty body, as carto-python sends it). */
    record Url(URI url) implements ImportSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }
    }

    static ImportSource of(Path path) {
        return new File(path);
    }

    static ImportSource of(URI url) {
        return new Url(url);
    }
}
