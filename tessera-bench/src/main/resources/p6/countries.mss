/* P6 countries (Natural Earth 1:110m): fills by continent with a white outline. */
#countries {
  polygon-fill: #D9D4C7;
  polygon-opacity: 0.9;
  line-color: #FFFFFF;
  line-width: 0.5;
  [continent='Europe'] { polygon-fill: #C8D8B9; }
  [continent='Africa'] { polygon-fill: #E6D5AA; }
  [continent='Asia'] { polygon-fill: #E8C6AA; }
  [zoom>=6] { line-width: 1.5; }
}
