/* P6 points (P5's generated 1 M points): CARTO Builder's default marker, coloured by category, larger from zoom 10;
   they do not block the city labels drawn above them. */
#points {
  marker-width: 5;
  marker-fill: #EE4D5A;
  marker-fill-opacity: 0.9;
  marker-line-color: #FFFFFF;
  marker-line-width: 0.5;
  marker-line-opacity: 1;
  marker-placement: point;
  marker-type: ellipse;
  marker-allow-overlap: true;
  marker-ignore-placement: true;
  [category=1] { marker-fill: #5F4690; }
  [category=2] { marker-fill: #1D6996; }
  [category=3] { marker-fill: #38A6A5; }
  [zoom>=10] { marker-width: 9; marker-line-width: 1; }
}
