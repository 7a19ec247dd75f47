package io.tessera.server.imports;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Downloads an import's URL under {@link UrlGuard}: each hop is checked, then the socket connects to the
 * very address that was checked (no second DNS lookup to rebind), TLS keeps SNI and hostname
 * verification for the URL's host, redirects are followed by hand (at most 5, each re-checked), the body
 * is capped in bytes and the whole download in time. A small HTTP/1.1 client (GET, {@code Connection:
 * close}, identity encoding, chunked or sized bodies) because the JDK clients resolve names themselves.
 */
public final class UrlFetcher {
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** A finished download: the final status, the file and the name the server or URL gave it. */
    public record Fetched(int status, Path file, String name) {
    }

    /** A download that ended with an HTTP status (the import keeps it as http_response_code). */
    public static final class HttpStatusFailure extends ImportFailure {
        private final int status;

        HttpStatusFailure(int code, int status) {
            super(code, "the server answered " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final UrlGuard guard;
    private final long maxBytes;
    private final java.time.Duration timeout;

    public UrlFetcher(UrlGuard guard, long maxBytes, java.time.Duration timeout) {
        this.guard = guard;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    public Fetched fetch(String url, Path dir) throws ImportFailure, IOException {
        Instant deadline = Instant.now().plus(timeout);
        String current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            UrlGuard.Target t;
            try {
                t = guard.check(current);
            } catch (UrlGuard.Refused r) {
                throw new ImportFailure(r.code(), r.getMessage());
            }
            try (Socket s = open(t, deadline)) {
                OutputStream out = s.getOutputStream();
                String path = t.uri().getRawPath() == null || t.uri().getRawPath().isEmpty() ? "/" : t.uri().getRawPath();
                String query = t.uri().getRawQuery() == null ? "" : "?" + t.uri().getRawQuery();
                String hostHeader = (t.host().contains(":") ? "[" + t.host() + "]" : t.host())
                        + (t.port() == (t.tls() ? 443 : 80) ? "" : ":" + t.port());
                out.write(("GET " + path + query + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: Tessera-Importer\r\n"
                        + "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
                int status = statusLine(readLine(in));
                Map<String, String> headers = headers(in);
                if (status >= 300 && status < 400 && headers.containsKey("location")) {
                    current = t.uri().resolve(headers.get("location").trim()).toString();
                    continue;
                }
                if (status == 404 || status == 410) {
                    throw new HttpStatusFailure(ImportErrorCodes.NOT_FOUND, status);
                }
                if (status == 401 || status == 403) {
                    throw new HttpStatusFailure(ImportErrorCodes.FORBIDDEN_URL, status);
                }
                if (status < 200 || status >= 300) {
                    throw new HttpStatusFailure(ImportErrorCodes.DOWNLOAD, status);
                }
                String name = fileName(headers.get("content-disposition"), t.uri());
                Path file = dir.resolve(name);
                body(in, headers, file, deadline, s);
                return new Fetched(status, file, name);
            } catch (SocketTimeoutException e) {
                throw new ImportFailure(ImportErrorCodes.DOWNLOAD_TIMEOUT, "the download took too long");
            } catch (java.net.ConnectException | java.net.NoRouteToHostException e) {
                throw new ImportFailure(ImportErrorCodes.DOWNLOAD, "cannot connect: " + e.getMessage());
            } catch (javax.net.ssl.SSLException e) {
                throw new ImportFailure(ImportErrorCodes.DOWNLOAD, "TLS failed: " + e.getMessage());
            }
        }
        throw new ImportFailure(ImportErrorCodes.DOWNLOAD, "too many redirects");
    }

    private static Socket open(UrlGuard.Target t, Instant deadline) throws IOException, ImportFailure {
        Socket plain = new Socket();
        int left = millisLeft(deadline);
        plain.connect(new InetSocketAddress(t.address(), t.port()), Math.min(left, 15_000));
        plain.setSoTimeout(Math.min(left, 60_000));
        if (!t.tls()) {
            return plain;
        }
        SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, t.host(), t.port(), true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        return ssl;
    }

    private void body(InputStream in, Map<String, String> headers, Path file, Instant deadline, Socket s)
            throws IOException, ImportFailure {
        long declared = headers.containsKey("content-length") ? parseLong(headers.get("content-length")) : -1;
        if (declared > maxBytes) {
            throw new ImportFailure(ImportErrorCodes.TOO_BIG, "the file is bigger than " + maxBytes + " bytes");
        }
        boolean chunked = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
        long written = 0;
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            if (chunked) {
                while (true) {
                    String sizeLine = readLine(in);
                    int semi = sizeLine.indexOf(';');
                    long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    written = copy(in, out, buf, size, written, deadline, s);
                    readLine(in);
                }
            } else {
                written = copy(in, out, buf, declared < 0 ? Long.MAX_VALUE : declared, written, deadline, s);
                if (declared >= 0 && written < declared) {
                    throw new ImportFailure(ImportErrorCodes.PARTIAL_FILE, "the download ended early");
                }
            }
        } catch (NumberFormatException e) {
            throw new ImportFailure(ImportErrorCodes.PARTIAL_FILE, "malformed chunked body");
        }
    }

    private long copy(InputStream in, OutputStream out, byte[] buf, long size, long written, Instant deadline, Socket s)
            throws IOException, ImportFailure {
        long left = size;
        while (left > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new ImportFailure(ImportErrorCodes.DOWNLOAD_TIMEOUT, "the download took too long");
            }
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                if (size != Long.MAX_VALUE) {
                    throw new ImportFailure(ImportErrorCodes.PARTIAL_FILE, "the download ended early");
                }
                break;
            }
            written += n;
            left -= n;
            if (written > maxBytes) {
                throw new ImportFailure(ImportErrorCodes.TOO_BIG, "the file is bigger than " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
        }
        return written;
    }

    private static int statusLine(String line) throws ImportFailure {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new ImportFailure(ImportErrorCodes.DOWNLOAD, "not an HTTP response");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new ImportFailure(ImportErrorCodes.DOWNLOAD, "not an HTTP response");
        }
    }

    private static Map<String, String> headers(InputStream in) throws IOException, ImportFailure {
        Map<String, String> h = new LinkedHashMap<>();
        int total = 0;
        String line;
        while (!(line = readLine(in)).isEmpty()) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new ImportFailure(ImportErrorCodes.DOWNLOAD, "response headers too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return h;
    }

    private static String readLine(InputStream in) throws IOException, ImportFailure {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > MAX_HEADER_BYTES) {
                throw new ImportFailure(ImportErrorCodes.DOWNLOAD, "response line too long");
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new ImportFailure(ImportErrorCodes.PARTIAL_FILE, "the connection closed early");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The file name from Content-Disposition, else the URL's last path segment, made safe for the disk. */
    static String fileName(String disposition, URI uri) {
        String name = null;
        if (disposition != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("filename=\"?([^\";]+)\"?").matcher(disposition);
            if (m.find()) {
                name = m.group(1);
            }
        }
        if (name == null) {
            String path = uri.getPath() == null ? "" : uri.getPath();
            name = path.substring(path.lastIndexOf('/') + 1);
        }
        name = name.replaceAll(".*[/\\\\]", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "download" + name : name;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int millisLeft(Instant deadline) throws ImportFailure {
        long ms = java.time.Duration.between(Instant.now(), deadline).toMillis();
        if (ms <= 0) {
            throw new ImportFailure(ImportErrorCodes.DOWNLOAD_TIMEOUT, "the download took too long");
        }
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }
}
