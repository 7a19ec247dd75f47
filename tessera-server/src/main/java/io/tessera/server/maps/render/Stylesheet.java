package io.tessera.server.maps.render;

import io.tessera.server.maps.render.StyleDefinition.Declaration;
import java.awt.Color;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled CartoCSS stylesheet for one map layer. Every {@code #id}/{@code .class} selector applies to the
 * layer it is given to (CARTO styles one layer per stylesheet, whatever name the selector uses); {@code Map}
 * supplies the background. Immutable and safe to share between threads.
 *
 * <p>Resolution follows carto: rules are grouped by attachment ({@code ::name}); attachments draw in the order
 * of their first declaration; for one feature each property takes its value from the most specific matching
 * rule; a rule's symbolizers are ordered by their first declaration.
 */
public final class Stylesheet {
    private static final int CACHE_LIMIT = 4096;

    private final List<String> attachmentNames;
    private final List<List<StyleDefinition>> attachments;
    private final Color background;
    private final Integer bufferSize;
    private final List<String> warnings;
    private final Map<ResolutionKey, List<Symbolizer>> resolved = new ConcurrentHashMap<>();

    private record ResolutionKey(int attachment, int zoom, BitSet matched) {
    }

    Stylesheet(List<StyleDefinition> definitions, Color background, Integer bufferSize, List<String> warnings) {
        Map<String, List<StyleDefinition>> byAttachment = new LinkedHashMap<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (StyleDefinition d : definitions) {
            byAttachment.computeIfAbsent(d.attachment(), k -> new ArrayList<>()).add(d);
            int min = d.declarations().values().stream().mapToInt(Declaration::index).min().orElse(Integer.MAX_VALUE);
            firstIndex.merge(d.attachment(), min, Math::min);
        }
        List<String> names = new ArrayList<>(byAttachment.keySet());
        names.sort(Comparator.comparingInt(firstIndex::get));
        this.attachmentNames = List.copyOf(names);
        List<List<StyleDefinition>> lists = new ArrayList<>();
        for (String n : names) {
            List<StyleDefinition> l = new ArrayList<>(byAttachment.get(n));
            l.sort(StyleDefinition::bySpecificity);
            lists.add(List.copyOf(l));
        }
        this.attachments = List.copyOf(lists);
        this.background = background;
        this.bufferSize = bufferSize;
        this.warnings = warnings;
    }

    /** What was accepted but not applied (unsupported properties, values, functions), one line each. */
    public List<String> warnings() {
        return warnings;
    }

    /** {@code Map { background-color }}, if set. */
    public Optional<Color> backgroundColor() {
        return Optional.ofNullable(background);
    }

    /** {@code Map { buffer-size }}, if set. */
    public OptionalInt bufferSize() {
        return bufferSize == null ? OptionalInt.empty() : OptionalInt.of(bufferSize);
    }

    /** Whether any rule applies at this zoom level (a layer with none needs no data for the tile). */
    public boolean drawsAtZoom(int zoom) {
        for (List<StyleDefinition> a : attachments) {
            for (StyleDefinition d : a) {
                if (CartoZoom.contains(d.zoomMask(), zoom)) {
                    return true;
                }
            }
        }
        return false;
    }

    int attachmentCount() {
        return attachments.size();
    }

    List<String> attachmentNames() {
        return attachmentNames;
    }

    /** The symbolizers that draw one feature in one attachment, in drawing order (empty: not drawn). */
    List<Symbolizer> symbolizers(int attachment, int zoom, Map<String, Object> attributes, int geometryType) {
        List<StyleDefinition> defs = attachments.get(attachment);
        BitSet matched = new BitSet(defs.size());
        for (int i = 0; i < defs.size(); i++) {
            if (defs.get(i).matches(zoom, attributes, geometryType)) {
                matched.set(i);
            }
        }
        if (matched.isEmpty()) {
            return List.of();
        }
        ResolutionKey key = new ResolutionKey(attachment, zoom, matched);
        List<Symbolizer> hit = resolved.get(key);
        if (hit != null) {
            return hit;
        }
        List<Symbolizer> result = merge(defs, matched);
        if (resolved.size() >= CACHE_LIMIT) {
            resolved.clear();
        }
        resolved.put(key, result);
        return result;
    }

    private static List<Symbolizer> merge(List<StyleDefinition> defs, BitSet matched) {
        Map<String, Declaration> winners = new LinkedHashMap<>();
        for (int i = matched.nextSetBit(0); i >= 0; i = matched.nextSetBit(i + 1)) {
            for (Map.Entry<String, Declaration> e : defs.get(i).declarations().entrySet()) {
                winners.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        Map<String, Map<String, Expr>> groups = new HashMap<>();
        Map<String, Integer> order = new HashMap<>();
        Map<String, Symbolizer.Type> types = new HashMap<>();
        for (Declaration d : winners.values()) {
            String group = d.instance() + "/" + d.property().symbolizer();
            groups.computeIfAbsent(group, k -> new HashMap<>()).put(d.property().cssName, d.value());
            order.merge(group, d.index(), Math::min);
            types.put(group, Symbolizer.Type.valueOf(d.property().symbolizer().toUpperCase(java.util.Locale.ROOT)));
        }
        List<String> keys = new ArrayList<>(groups.keySet());
        keys.sort(Comparator.comparingInt(order::get));
        List<Symbolizer> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(new Symbolizer(types.get(k), Map.copyOf(groups.get(k))));
        }
        return List.copyOf(out);
    }
}
