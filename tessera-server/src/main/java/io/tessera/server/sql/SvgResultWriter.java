package io.tessera.server.sql;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code format=svg} (sql-api.md §2.5): geometries scaled into a 1024×768 frame by PostGIS
 * ({@code ST_TransScale} + {@code ST_AsSVG}), polygons first and points last; the {@code viewBox} is the
 * scaled extent of the data. Points become {@code <circle r="5" …/>}, the rest {@code <path d="…"/>}.
 * The rows are held until the last one (the document is written whole), at most
 * {@link ExportLimits#maxRows()} of them.
 */
final class SvgResultWriter implements ResultWriter {
    static final String EXTENT = "__tessera_extent";
    static final String SVG = "__tessera_svg";
    private static final Pattern BOX = Pattern.compile("BOX\\(([-0-9.eE+]+) ([-0-9.eE+]+),([-0-9.eE+]+) ([-0-9.eE+]+)\\)");

    private final SqlResponse response;
    private final int maxRows;
    private final List<String> shapes = new ArrayList<>();
    private String viewBox;

    SvgResultWriter(SqlResponse response, int maxRows) {
        this.response = response;
        this.maxRows = maxRows;
    }

    /** Scales {@code the_geom} into the 1024×768 frame; each row also carries the scaled extent. */
    static String wrap(String sql, int dp, int maxRows) {
        return "WITH source AS (" + sql + "),"
                + " extent AS (SELECT ST_Extent(the_geom) AS e FROM source),"
                + " info AS (SELECT e, ST_XMin(e) AS ex0, ST_YMax(e) AS ey0, ST_XMax(e) - ST_XMin(e) AS ew,"
                + "   ST_YMax(e) - ST_YMin(e) AS eh FROM extent),"
                + " trans AS (SELECT CASE WHEN eh = 0 OR ew = 0 THEN 1 WHEN ew / eh > 1024.0 / 768 THEN 1024 / ew"
                + "   ELSE 768 / eh END AS s FROM info)"
                + " SELECT ST_TransScale(e::geometry, -ex0, -ey0, s, s)::box2d::text AS " + EXTENT + ","
                + " ST_AsSVG(ST_TransScale(the_geom, -ex0, -ey0, s, s), 0, " + dp + ") AS " + SVG
                + " FROM source, info, trans WHERE the_geom IS NOT NULL"
                + " ORDER BY ST_Dimension(the_geom) DESC LIMIT " + (maxRows + 1L);
    }

    @Override
    public long consume(ResultSet rs, ResultColumns columns) throws SQLException, IOException {
        int svg = columns.indexOf(SVG);
        int extent = columns.indexOf(EXTENT);
        long n = 0;
        while (rs.next()) {
            n++;
            if (svg < 0) {
                continue; // an earlier statement of the script
            }
            if (shapes.size() == maxRows) {
                throw SqlApiErrors.badRequest(TopoJsonResultWriter.tooManyRows("svg", maxRows));
            }
            if (viewBox == null) {
                viewBox = viewBox(rs.getString(extent));
            }
            String d = rs.getString(svg);
            if (d.startsWith("cx=")) {
                for (String point : d.split(",(?=cx=)")) {
                    shapes.add("<circle r=\"5\" " + point + " />");
                }
            } else {
                shapes.add("<path d=\"" + d + "\" />");
            }
        }
        return n;
    }

    /** {@code BOX(x0 y0,x1 y1)} of the scaled data → {@code x0 -y1 width height} (SVG's y axis points down). */
    static String viewBox(String box) {
        Matcher m = box == null ? null : BOX.matcher(box);
        if (m == null || !m.matches()) {
            return null;
        }
        double x0 = Double.parseDouble(m.group(1));
        double y0 = Double.parseDouble(m.group(2));
        double x1 = Double.parseDouble(m.group(3));
        double y1 = Double.parseDouble(m.group(4));
        return num(x0) + " " + num(-y1) + " " + num(x1 - x0) + " " + num(y1 - y0);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public void finish(QueryRunner.Outcome outcome, double seconds, Notices notices) throws IOException {
        StringBuilder doc = new StringBuilder()
                .append("<?xml version=\"1.0\" standalone=\"no\"?>\n")
                .append("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n")
                .append("<svg ");
        if (viewBox != null) {
            doc.append("viewBox=\"").append(viewBox).append("\" ");
        }
        doc.append("style=\"fill-opacity:0.5; stroke:black; stroke-width:1; fill:none\" ")
                .append("xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\">\n");
        try (OutputStream out = response.start()) {
            out.write(doc.toString().getBytes(StandardCharsets.UTF_8));
            for (String s : shapes) {
                out.write(s.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
            out.write("</svg>\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void failMidStream(String message, double seconds, Notices notices) {
        throw new IllegalStateException("an svg document is written only after its last row");
    }

    @Override
    public boolean started() {
        return response.started();
    }
}
