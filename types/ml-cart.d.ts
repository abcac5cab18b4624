/** ml-cart ships no types; these cover what Orpheus uses (tests and benchmarks use it as the oracle). */
declare module 'ml-cart' {
  interface CartOptions {
    gainFunction?: string;
    splitFunction?: string;
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }
  export class DecisionTreeClassifier {
    constructor(options?: CartOptions);
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
    toJSON(): unknown;
    static load(model: unknown): DecisionTreeClassifier;
  }
  export class DecisionTreeRegression {
    constructor(options?: CartOptions);
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
    toJSON(): unknown;
    static load(model: unknown): DecisionTreeRegression;
  }
}
