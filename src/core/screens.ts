/** The screens of Orpheus's navigation, in its order: the app routes them, a lesson shows some. */
export const SCREENS = [
  'data',
  'models',
  'train',
  'grow',
  'search',
  'compare',
  'overview',
  'audition',
  'predict',
  'monitor',
  'backup',
  'settings',
] as const;
