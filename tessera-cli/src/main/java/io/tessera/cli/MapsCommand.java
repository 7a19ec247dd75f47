package io.tessera.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.client.auth.AuthClient;
import io.tessera.client.maps.AnonymousMap;
import io.tessera.client.maps.BaseMap;
import io.tessera.client.maps.NamedMapManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tessera maps …}: named-map templates ({@code named list|create FILE.json|rm NAME}) and tiles
 * ({@code tile --layergroup ID | --named NAME z/x/y.ext -o FILE}), through the SDK's maps classes.
 */
@Command(name = "maps", description = "Named maps and tiles of the Maps API.", mixinStandardHelpOptions = true,
        subcommands = {MapsCommand.Named.class, MapsCommand.TileCommand.class})
public class MapsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    TesseraCommand parent;

    @Override
    public Integer call() {
        parent.context().err().println("tessera maps: missing command (named, tile)");
        return CliMain.EXIT_USAGE;
    }

    /** {@code tessera maps named list|create FILE.json|rm NAME}. */
    @Command(name = "named", description = "List, create or remove named maps (master key).", mixinStandardHelpOptions = true)
    static class Named implements Callable<Integer> {
        @ParentCommand
        MapsCommand maps;

        @Mixin
        CredentialOptions credentials;

        @Parameters(index = "0", paramLabel = "ACTION", description = "list, create or rm.")
        String action;

        @Parameters(index = "1", arity = "0..1", paramLabel = "ARG", description = "create: the template file; rm: the name.")
        String arg;

        @Override
        public Integer call() throws IOException {
            var ctx = maps.parent.context();
            NamedMapManager manager = new NamedMapManager(maps.parent.authClient(credentials));
            switch (action) {
                case "list" -> manager.ids().forEach(ctx.out()::println);
                case "create" -> {
                    JsonNode t = JSON.readTree(Files.readAllBytes(Path.of(need(arg, "a template file"))));
                    if (!(t instanceof ObjectNode o)) {
                        throw new CliException("the template file must hold a JSON object");
                    }
                    ctx.out().println(manager.create(o).templateId());
                }
                case "rm" -> manager.get(need(arg, "a template name")).delete();
                default -> throw new CliException("unknown action '" + action + "' (list, create, rm)");
            }
            return CliMain.EXIT_OK;
        }
    }

    /** {@code tessera maps tile (--layergroup ID | --named NAME [--auth-token T]) [--layer L] z/x/y.ext -o FILE}. */
    @Command(name = "tile", description = "Fetch one tile (png, mvt, grid.json) into a file.", mixinStandardHelpOptions = true)
    static class TileCommand implements Callable<Integer> {
        private static final Pattern ZXY = Pattern.compile("^(\\d+)/(-?\\d+)/(\\d+)(?:\\.(png|mvt|grid\\.json))?$");

        @ParentCommand
        MapsCommand maps;

        @Mixin
        CredentialOptions credentials;

        @Option(names = "--layergroup", paramLabel = "ID", description = "Layergroup id of an instantiated map.")
        String layergroup;

        @Option(names = "--named", paramLabel = "NAME", description = "Template name of a named map.")
        String named;

        @Option(names = "--auth-token", paramLabel = "TOKEN", description = "Token of a token-protected named map.")
        String authToken;

        @Option(names = "--layer", paramLabel = "LAYER", description = "Layer index, id, all or a comma list.")
        String layer;

        @Parameters(index = "0", paramLabel = "Z/X/Y.EXT", description = "The tile, e.g. 3/4/2.png (default extension png).")
        String tile;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write the tile.")
        Path output;

        @Override
        public Integer call() throws IOException {
            Matcher m = ZXY.matcher(tile);
            if (!m.matches()) {
                throw new CliException("tile must look like Z/X/Y.png, Z/X/Y.mvt or Z/X/Y.grid.json");
            }
            if ((layergroup == null) == (named == null)) {
                throw new CliException("give exactly one of --layergroup and --named");
            }
            AuthClient auth = maps.parent.authClient(credentials);
            BaseMap map = layergroup != null ? new FixedLayergroup(auth, layergroup) : new FixedNamed(auth, named, authToken);
            byte[] bytes = map.fetchTile(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(1)),
                    layer, m.group(4) == null ? "png" : m.group(4));
            Path part = output.toAbsolutePath().resolveSibling(output.getFileName() + ".part");
            Files.write(part, bytes);
            Files.move(part, output, StandardCopyOption.REPLACE_EXISTING);
            maps.parent.context().err().println(bytes.length == 0 ? "empty tile (no features)" : bytes.length + " bytes");
            return CliMain.EXIT_OK;
        }
    }

    /** An already instantiated layergroup, addressed by id. */
    private static final class FixedLayergroup extends AnonymousMap {
        private final String id;

        FixedLayergroup(AuthClient auth, String id) {
            super(auth);
            this.id = id;
        }

        @Override
        protected String tileId() {
            return id;
        }
    }

    /** A named map addressed by name, without reading its template. */
    private static final class FixedNamed extends BaseMap {
        private final String name;
        private final String token;

        FixedNamed(AuthClient auth, String name, String token) {
            super(auth);
            this.name = name;
            this.token = token;
        }

        @Override
        protected String collectionPath() {
            return "api/v1/map/named/";
        }

        @Override
        protected String tileId() {
            return name;
        }

        @Override
        protected Optional<String> authToken() {
            return Optional.ofNullable(token);
        }
    }

    static String need(String arg, String what) {
        if (arg == null || arg.isBlank()) {
            throw new CliException("missing " + what);
        }
        return arg;
    }
}
