/** Colours for classes (Okabe–Ito, readable by people with colour-blindness), then repeated. */
export const CLASS_COLOURS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000000',
];

export function classColour(i: number): string {
  return CLASS_COLOURS[i % CLASS_COLOURS.length]!;
}
