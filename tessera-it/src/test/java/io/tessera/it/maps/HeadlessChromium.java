package io.tessera.it.maps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless with the flags of decisions.md, driven over the DevTools protocol from
 * Java: open a page, evaluate a promise, take a screenshot. No Node, no browser download.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts Chromium on a blank page and navigates to {@code url} over the protocol. */
    static HeadlessChromium open(String url, Path profile) throws Exception {
        HeadlessChromium c = start(profile);
        try {
            c.call("Page.navigate", MapsTestSupport.JSON.createObjectNode().put("url", url));
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    private static HeadlessChromium start(Path profile) throws Exception {
        String url = "about:blank";
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--use-angle=swiftshader",
                "--enable-unsafe-swiftshader", "--disable-gpu-sandbox", "--no-first-run", "--no-default-browser-check",
                "--window-size=800,600", "--remote-debugging-port=0", "--user-data-dir=" + profile));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("chromium did not start: " + Files.readString(profile.resolveSibling("chromium.log")));
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        String ws = null;
        while (ws == null) {
            JsonNode targets = MapsTestSupport.JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("page")) {
                    ws = t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (ws == null) {
                Thread.sleep(100);
            }
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(ws),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String msg = partial.toString();
                            partial.setLength(0);
                            self[0].received(msg);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        self[0] = new HeadlessChromium(p, socket);
        return self[0];
    }

    private void received(String msg) {
        try {
            JsonNode n = MapsTestSupport.JSON.readTree(msg);
            CompletableFuture<JsonNode> f = n.has("id") ? pending.remove(n.get("id").asInt()) : null;
            if (f != null) {
                f.complete(n);
            }
        } catch (IOException e) {
            // events we do not read
        }
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = MapsTestSupport.JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
        JsonNode r = f.get(90, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IOException(method + ": " + r.get("error"));
        }
        return r.get("result");
    }

    /** Evaluates {@code expression} in the page, awaiting a promise; returns its JSON value. */
    JsonNode evaluate(String expression) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return evaluateOnce(expression);
            } catch (IOException e) {
                // The navigation may still replace the page's context; try again in the new one.
                if (attempt >= 20 || !String.valueOf(e.getMessage()).contains("context was destroyed")) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private JsonNode evaluateOnce(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", MapsTestSupport.JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("page error: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(call("Page.captureScreenshot",
                MapsTestSupport.JSON.createObjectNode().put("format", "png")).get("data").asText());
    }

    @Override
    public void close() {
        socket.abort();
        // Chromium's helper processes (renderer, GPU, zygote) would keep writing to the profile: end them all.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }
}
