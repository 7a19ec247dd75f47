package io.tessera.server.imports;

/**
 * An import that cannot finish, with CARTO's error code (platform-api.md §1.5). The message is for logs
 * and the import's own record; clients see the code and its {@code get_error_text}.
 */
public class ImportFailure extends Exception {
    private final int code;

    public ImportFailure(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ImportFailure(int code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
