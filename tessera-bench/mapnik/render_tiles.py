#!/usr/bin/python3
"""Times Mapnik rendering PNG tiles of a PostGIS table with a carto-compiled CartoCSS style (benchmark P6 peer).

Run with Debian's interpreter (python3-mapnik and node-carto installed):

  /usr/bin/python3 render_tiles.py --table myschema.points --style style.mss --tiles tiles.txt [--scale 2]
  /usr/bin/python3 render_tiles.py --layer-sql "countries=SELECT ..." --layer-sql "points=SELECT ..." \
      --style countries.mss --style points.mss --tiles tiles.txt

Several layers (--layer-sql ID=SQL, drawn in the order given) share one map, as a multi-layer CARTO map does;
several --style files are compiled together (carto's Stylesheet list), their #id selectors naming the layers.

The connection comes from the libpq environment (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD), never from
the command line. Tiles are "z/x/y" lines (file, or "-" for stdin). The table's geometry column must be in
EPSG:3857. Per tile it renders (PNG encoding included, as a tile server would) and prints one JSON line per tile
and a JSON summary line: {"tiles", "total_ms", "mean_ms", "p50_ms", "p95_ms", "png_bytes"}.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import mapnik

WORLD = 20037508.342789244
SRS = "epsg:3857"


def tile_box(z, x, y, buffer_px, size):
    span = 2 * WORLD / (2 ** z)
    pad = span * buffer_px / size
    west = -WORLD + x * span
    north = WORLD - y * span
    return mapnik.Box2d(west, north - span, west + span, north), pad


def layers(args):
    """(id, subquery) per layer: the --layer-sql pairs, or the single --table/--sql layer."""
    if args.layer_sql:
        out = []
        for spec in args.layer_sql:
            layer_id, sep, sql = spec.partition("=")
            if not sep or not layer_id.strip() or not sql.strip():
                sys.exit("--layer-sql wants ID=SQL, got: " + spec)
            out.append((layer_id.strip(), "(%s) AS cdbq" % sql))
        return out
    return [(args.layer, "(SELECT * FROM %s) AS cdbq" % args.table if not args.sql else "(%s) AS cdbq" % args.sql)]


def compile_style(args):
    work = tempfile.mkdtemp(prefix="tessera-mapnik-")
    try:
        sheets = []
        for i, mss_path in enumerate(args.style):
            name = "style%d.mss" % i
            shutil.copy(mss_path, os.path.join(work, name))
            sheets.append(name)
        mml_layers = []
        for layer_id, table in layers(args):
            datasource = {"type": "postgis", "table": table, "geometry_field": args.geom_column, "srid": 3857,
                          "extent": "%f,%f,%f,%f" % (-WORLD, -WORLD, WORLD, WORLD), "estimate_extent": "false", "max_size": 4}
            mml_layers.append({"id": layer_id, "name": layer_id, "srs": SRS, "Datasource": datasource})
        mml = {"srs": SRS, "Stylesheet": sheets, "Layer": mml_layers}
        with open(os.path.join(work, "project.mml"), "w") as fh:
            json.dump(mml, fh)
        env = dict(os.environ, NODE_PATH="/usr/lib/nodejs:/usr/share/nodejs")
        done = subprocess.run(["carto", "project.mml"], cwd=work, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            sys.exit("carto failed:\n" + done.stderr)
        return done.stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_tiles(source):
    lines = sys.stdin if source == "-" else open(source)
    tiles = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            z, x, y = (int(v) for v in line.split("/"))
            tiles.append((z, x, y))
    return tiles


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--table", help="schema-qualified table name")
    p.add_argument("--sql", help="a query instead of --table")
    p.add_argument("--geom-column", default="the_geom_webmercator")
    p.add_argument("--layer", default="layer0", help="layer id the style's selectors may name")
    p.add_argument("--layer-sql", action="append", metavar="ID=SQL",
                   help="a layer drawn from a query (repeat for several layers, drawn in order); replaces --table/--sql")
    p.add_argument("--style", required=True, action="append", help="CartoCSS file (repeat to compile several)")
    p.add_argument("--tiles", required=True, help="file of z/x/y lines, or - for stdin")
    p.add_argument("--scale", type=int, default=1, help="2 for @2x (512 px)")
    p.add_argument("--buffer", type=int, default=64, help="buffer in pixels, as Windshaft")
    p.add_argument("--repeat", type=int, default=1, help="render the tile list this many times")
    p.add_argument("--warmup", type=int, default=3, help="untimed renders first")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument("--out", help="also write each tile as OUT/z-x-y.png (outside the timing), to compare by eye")
    args = p.parse_args()
    if not args.table and not args.sql and not args.layer_sql:
        p.error("give --table, --sql or --layer-sql")

    size = 256 * args.scale
    m = mapnik.Map(size, size)
    mapnik.load_map_from_string(m, compile_style(args), False, os.getcwd())
    m.buffer_size = args.buffer * args.scale
    tiles = read_tiles(args.tiles)
    if not tiles:
        sys.exit("no tiles given")

    def render(z, x, y):
        box, _ = tile_box(z, x, y, args.buffer, 256)
        m.zoom_to_box(box)
        image = mapnik.Image(size, size)
        mapnik.render(m, image, float(args.scale))
        return image.tostring("png32")

    for i in range(args.warmup):
        render(*tiles[i % len(tiles)])
    times = []
    total_bytes = 0
    for _ in range(args.repeat):
        for z, x, y in tiles:
            t0 = time.perf_counter()
            png = render(z, x, y)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            total_bytes += len(png)
            if args.out:
                with open(os.path.join(args.out, "%d-%d-%d.png" % (z, x, y)), "wb") as fh:
                    fh.write(png)
            if not args.quiet:
                print(json.dumps({"tile": "%d/%d/%d" % (z, x, y), "ms": round(ms, 3), "png_bytes": len(png)}))
    ordered = sorted(times)
    print(json.dumps({"tiles": len(times), "total_ms": round(sum(times), 3), "mean_ms": round(sum(times) / len(times), 3),
                      "p50_ms": round(ordered[len(ordered) // 2], 3),
                      "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 3),
                      "png_bytes": total_bytes}))


if __name__ == "__main__":
    main()
