#!/usr/bin/python3
"""Renders the golden PNGs of the Java2D renderer's fidelity test with Mapnik + carto (run once, commit the PNGs).

Needs Debian's python3-mapnik and node-carto (`apt-get install python3-mapnik node-carto`); run it with the
system interpreter: /usr/bin/python3 render_goldens.py [fixture-name ...]

Each fixture in fixtures.json names a GeoJSON in output-pixel coordinates (y down) and a .mss style. The pixels
are placed in EPSG:3857 at the resolution of a real tile of the fixture's zoom, so carto's zoom filters (which
become Mapnik scale denominators) select the same rules as the Java renderer's zoom argument.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import mapnik

HERE = os.path.dirname(os.path.abspath(__file__))
WORLD = 40075016.68557849
SRS = "epsg:3857"


def world_geojson(data, size, scale, coord_scale, zoom):
    res = WORLD / (2 ** zoom) / size  # metres per output pixel

    def tx(c):
        if isinstance(c[0], (int, float)):
            return [c[0] * coord_scale * res, (size - c[1] * coord_scale) * res]
        return [tx(x) for x in c]

    out = json.loads(json.dumps(data))
    for f in out["features"]:
        g = f["geometry"]
        if g["type"] == "GeometryCollection":
            for m in g["geometries"]:
                m["coordinates"] = tx(m["coordinates"])
        else:
            g["coordinates"] = tx(g["coordinates"])
    return out, res


def render(fx, work):
    with open(os.path.join(HERE, "fixtures", fx["data"] + ".geojson")) as fh:
        data = json.load(fh)
    size, scale, zoom = fx["size"], fx["scale"], fx["zoom"]
    world, res = world_geojson(data, size, scale, fx.get("coordScale", 1), zoom)
    geo = os.path.join(work, fx["name"] + ".geojson")
    with open(geo, "w") as fh:
        json.dump(world, fh)
    shutil.copy(os.path.join(HERE, "fixtures", fx["style"] + ".mss"), os.path.join(work, "style.mss"))
    mml = {"srs": SRS, "Stylesheet": ["style.mss"],
           "Layer": [{"id": "layer", "name": "layer", "srs": SRS,
                      "Datasource": {"type": "geojson", "file": geo}}]}
    mml_path = os.path.join(work, "project.mml")
    with open(mml_path, "w") as fh:
        json.dump(mml, fh)
    env = dict(os.environ, NODE_PATH="/usr/lib/nodejs:/usr/share/nodejs")  # Debian's node modules
    done = subprocess.run(["carto", mml_path], capture_output=True, text=True, cwd=work, env=env)
    if done.returncode != 0:
        sys.exit("carto failed for %s:\n%s" % (fx["name"], done.stderr))
    xml = done.stdout
    m = mapnik.Map(size, size)
    mapnik.load_map_from_string(m, xml, False, work)
    m.zoom_to_box(mapnik.Box2d(0, 0, size * res, size * res))
    image = mapnik.Image(size, size)
    mapnik.render(m, image, float(scale))
    target = os.path.join(HERE, "goldens", fx["name"] + ".png")
    image.save(target, "png32")
    print("wrote", os.path.relpath(target, HERE))
    if fx.get("grid"):
        # UTFGrid as Windshaft asks Mapnik for it: key = feature id column, 4 px resolution.
        grid = mapnik.Grid(size, size, key="cartodb_id")
        mapnik.render_layer(m, grid, layer=0, fields=fx["grid"])
        utf = grid.encode("utf", resolution=4)
        target = os.path.join(HERE, "goldens", fx["name"] + ".grid.json")
        with open(target, "w") as fh:
            json.dump(utf, fh, ensure_ascii=False, sort_keys=True)
        print("wrote", os.path.relpath(target, HERE))


def main(names):
    with open(os.path.join(HERE, "fixtures.json")) as fh:
        manifest = json.load(fh)
    os.makedirs(os.path.join(HERE, "goldens"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="tessera-goldens-")
    try:
        for fx in manifest["fixtures"]:
            if not names or fx["name"] in names:
                render(fx, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
