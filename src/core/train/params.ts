/** The tree's settings as people read them, wherever they are shown. */
export const PARAM_LABELS: Record<string, string> = {
  criterion: 'Split quality',
  maxDepth: 'Max depth',
  minSamplesSplit: 'Min rows to split',
  minSamplesLeaf: 'Min rows per leaf',
  minImpurityDecrease: 'Min impurity decrease',
  maxFeatures: 'Features tried per split',
  classWeight: 'Class weights',
};
