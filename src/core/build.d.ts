/** ml-cart's version from its package.json, set at build time (Vite's `define`). */
declare const __ML_CART_VERSION__: string;
