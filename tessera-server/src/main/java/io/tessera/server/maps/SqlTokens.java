package io.tessera.server.maps;

/**
 * Mapnik's tokens in layer SQL ({@code !bbox!}, {@code !pixel_width!}, {@code !pixel_height!},
 * {@code !scale_denominator!}), replaced by SQL expressions built only from numbers Tessera computed.
 */
final class SqlTokens {
    static final double WORLD = 40075016.68557849;
    private static final String WORLD_ENVELOPE = "public.ST_MakeEnvelope(-20037508.342789244,-20037508.342789244,"
            + "20037508.342789244,20037508.342789244,3857)";

    private SqlTokens() {
    }

    /** Tokens for zoom {@code z} and a bbox expression (in 3857). */
    static String substitute(String sql, String bboxExpr, int z) {
        if (sql.indexOf('!') < 0) {
            return sql;
        }
        double pixel = WORLD / 256 / Math.pow(2, z);
        String px = Double.toString(pixel);
        return sql.replace("!bbox!", bboxExpr)
                .replace("!pixel_width!", px)
                .replace("!pixel_height!", px)
                .replace("!scale_denominator!", Double.toString(pixel / 0.00028));
    }

    /** For validation and EXPLAIN: the whole world at zoom 0. */
    static String forInspection(String sql) {
        return substitute(sql, WORLD_ENVELOPE, 0);
    }
}
