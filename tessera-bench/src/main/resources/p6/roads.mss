/* P6 roads (generated polylines): three kinds, wider from zoom 10. */
#roads {
  line-color: #9A9A9A;
  line-width: 0.5;
  line-opacity: 0.8;
  line-join: round;
  [kind=0] { line-color: #F2A541; line-width: 1.5; }
  [kind=1] { line-color: #7F7F7F; line-width: 1; }
  [zoom>=10] {
    line-width: 1.5;
    [kind=0] { line-width: 4; }
    [kind=1] { line-width: 2.5; }
  }
}
