/** The app's version from package.json, set at build time. */
declare const __APP_VERSION__: string;

/** ml-cart's version from its package.json, set at build time. */
declare const __ML_CART_VERSION__: string;
