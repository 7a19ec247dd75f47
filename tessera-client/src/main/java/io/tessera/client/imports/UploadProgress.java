package io.tessera.client.imports;

/** Told how many bytes of an upload have been handed to the network so far, and the total if known. */
@FunctionalInterface
public interface UploadProgress {
    UploadProgress NONE = (sent, total) -> { };

    void sent(long bytes, long total);
}
