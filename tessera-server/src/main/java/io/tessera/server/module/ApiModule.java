package io.tessera.server.module;

import io.tessera.server.http.Router;

/**
 * One API of the server (SQL, Batch, imports, maps …): registers its routes and owns whatever runs in
 * the background for it (workers, caches), which {@link #close()} stops when the server stops. Each
 * module lives in its own feature package and is listed once in {@code TesseraServer}.
 */
public interface ApiModule extends AutoCloseable {
    void register(Router router);

    @Override
    default void close() {
    }
}
