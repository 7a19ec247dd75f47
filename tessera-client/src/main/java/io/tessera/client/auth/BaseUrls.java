package io.tessera.client.auth;

import io.tessera.client.CartoException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base-URL rules of carto-python's {@code _BaseUrlChecker} and {@code _UsernameGetter}: a trailing {@code /} is
 * appended (paths are joined to it), and the user name is taken from a {@code /user/NAME/} path, else from the
 * first DNS label of the host ({@code NAME.carto.com}), with a leading {@code www.} dropped.
 */
public final class BaseUrls {

    private static final Pattern USER_PATH = Pattern.compile("^/user/([^/]+)/.*$");
    private static final Pattern FIRST_LABEL = Pattern.compile("^(.*?)\\..*");

    private BaseUrls() {
    }

    /** {@code baseUrl} with a trailing {@code /}, which relative paths need to resolve under it. */
    public static String normalize(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new CartoException("a base URL is required");
        }
        return baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    }

    /**
     * The user name a base URL names, exactly as carto-python finds it: {@code https://user1.carto.com/} and
     * {@code https://carto.com/user/user1/} give {@code user1}; {@code http://127.0.0.1:8080/} gives {@code 127}
     * (use {@code /user/NAME/} with IP hosts).
     *
     * @throws CartoException when neither form matches, e.g. {@code http://localhost:8080/}
     */
    public static String username(String baseUrl) {
        String url = normalize(baseUrl);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw notFound();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        Matcher m = USER_PATH.matcher(path);
        if (m.matches()) {
            return m.group(1);
        }
        String netloc = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        if (netloc.startsWith("www.")) {
            // Python's netloc.split('www.')[1]: the text after the first "www." up to any later "www.".
            String rest = netloc.substring(4);
            int next = rest.indexOf("www.");
            netloc = next < 0 ? rest : rest.substring(0, next);
        }
        m = FIRST_LABEL.matcher(netloc);
        if (m.lookingAt()) {
            return m.group(1);
        }
        throw notFound();
    }

    private static CartoException notFound() {
        return new CartoException("Could not find a valid user_name in the base URL provided. Please check that the "
                + "URL is one of 'https://{user_name}.carto.com', 'https://carto.com/user/{user_name}' or a similar "
                + "one based on your domain");
    }
}
