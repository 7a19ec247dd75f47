package io.tessera.server.maps.render;

/** A server has no display: AWT must not look for one. Called before the renderers touch any AWT class. */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
