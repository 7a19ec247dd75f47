package io.tessera.server.admin;

import io.tessera.server.TesseraServer;
import io.tessera.server.config.TesseraConfig;
import java.io.IOException;
import java.sql.SQLException;

/** What {@code tessera serve} prints once it is up: where to point a browser and a client. */
final class Banner {
    private Banner() {
    }

    static void print(TesseraServer server, TesseraConfig config) throws SQLException, IOException {
        String base = config.publicUrl().isEmpty() ? "http://localhost:" + server.port() : config.publicUrl().replaceAll("/$", "");
        StringBuilder b = new StringBuilder()
                .append("\nTessera ").append(TesseraServer.VERSION).append(" is running.\n")
                .append("  Browser:  ").append(base).append("/\n");
        if (config.demo()) {
            String key = server.demoMasterKey().orElse(null);
            if (key != null) {
                String userBase = base + "/user/" + DemoData.USER + "/";
                b.append("  Client:   base URL ").append(userBase).append("   API key ").append(key).append('\n')
                        .append("  Try:      curl '").append(userBase)
                        .append("api/v2/sql?q=SELECT%20name%20FROM%20naturalearth_cities%20LIMIT%205'\n")
                        .append("  SDK/CLI:  export CARTO_API_URL=").append(userBase).append(" CARTO_API_KEY=").append(key).append('\n')
                        .append("  Org:      ").append(DemoData.USER).append(" administers organization ").append(DemoData.ORGANIZATION)
                        .append(" (CARTO_ORG=").append(DemoData.ORGANIZATION).append(")\n");
            }
        }
        b.append("  Data:     ").append(config.externalDatabase().isPresent() ? "external PostGIS" : config.home().toString()).append('\n');
        System.out.println(b);
        System.out.flush();
    }
}
