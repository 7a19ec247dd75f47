/* P6 cities (Natural Earth populated places): a dark marker and a haloed label that skips collisions. */
#cities {
  marker-width: 6;
  marker-fill: #333333;
  marker-line-color: #FFFFFF;
  marker-line-width: 1;
  marker-allow-overlap: true;
  text-name: [name];
  text-face-name: 'DejaVu Sans Book';
  text-size: 11;
  text-fill: #222222;
  text-halo-fill: #FFFFFF;
  text-halo-radius: 1.5;
  text-dy: -12;
}
