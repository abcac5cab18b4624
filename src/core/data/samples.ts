/** The datasets bundled with Orpheus (CSV files under public/samples), available offline. */
export interface Sample {
  id: string;
  name: string;
  file: string;
  description: string;
  target: string;
  task: 'classification' | 'regression';
  rows: number;
  source: string;
  licence: string;
}

export const SAMPLES: readonly Sample[] = [
  {
    id: 'iris',
    name: 'Iris',
    file: 'samples/iris.csv',
    description: 'Measurements of 150 iris flowers from three species. The classic first dataset.',
    target: 'species',
    task: 'classification',
    rows: 150,
    source: 'R. A. Fisher (1936), as shipped by scikit-learn (sklearn.datasets.load_iris).',
    licence: 'Public domain; scikit-learn is BSD-3-Clause.',
  },
  {
    id: 'wine',
    name: 'Wine',
    file: 'samples/wine.csv',
    description: 'Chemical analysis of 178 Italian wines from three cultivars.',
    target: 'cultivar',
    task: 'classification',
    rows: 178,
    source: 'UCI Machine Learning Repository, as shipped by scikit-learn (load_wine).',
    licence: 'CC BY 4.0 (UCI); scikit-learn is BSD-3-Clause.',
  },
  {
    id: 'breast-cancer',
    name: 'Breast cancer (Wisconsin diagnostic)',
    file: 'samples/breast-cancer.csv',
    description: '569 tumours described by 30 cell-nucleus measurements: malignant or benign.',
    target: 'diagnosis',
    task: 'classification',
    rows: 569,
    source:
      'W. Wolberg, O. Mangasarian, N. Street, W. Street (1995), UCI Machine Learning Repository, as shipped by scikit-learn (load_breast_cancer).',
    licence: 'CC BY 4.0 (UCI); scikit-learn is BSD-3-Clause.',
  },
  {
    id: 'penguins',
    name: 'Palmer penguins',
    file: 'samples/penguins.csv',
    description:
      '344 penguins of three species on three islands, with missing measurements and categorical columns.',
    target: 'species',
    task: 'classification',
    rows: 344,
    source:
      'K. Gorman and Palmer Station Antarctica LTER; A. Horst, palmerpenguins; as shipped by the vega-datasets npm package.',
    licence: 'CC0 1.0 (data); vega-datasets is BSD-3-Clause.',
  },
  {
    id: 'diabetes',
    name: 'Diabetes progression',
    file: 'samples/diabetes.csv',
    description:
      '442 patients: age, sex, BMI, blood pressure and six blood serum measurements; the target is disease progression one year later.',
    target: 'progression',
    task: 'regression',
    rows: 442,
    source:
      'B. Efron, T. Hastie, I. Johnstone, R. Tibshirani (2004), "Least Angle Regression", as shipped by scikit-learn (load_diabetes, unscaled).',
    licence: 'Distributed with scikit-learn (BSD-3-Clause).',
  },
];
