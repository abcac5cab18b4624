export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
export declare function launchOptions(): {
  executablePath: string;
  headless: boolean;
  args: string[];
};
export declare function ensureChromium(): void;
export declare function aptInstall(packages: string[]): void;
export declare function ensureOnnxChecker(): void;
