// Types of scripts/chromium.mjs for the TypeScript that imports it (test/browser/run.ts, tests).
export declare const DEFAULT_CHROMIUM: string;
export declare const INSTALL_HINT: string;
export type ChromiumPlan = { action: 'use' | 'install'; path: string } | { action: 'stop'; message: string };
export declare function chromiumPlan(facts: { chromePath: string | null; exists(path: string): boolean; isRoot: boolean; hasApt: boolean }): ChromiumPlan;
export declare function ensureChromium(env?: NodeJS.ProcessEnv): { ok: true; path: string } | { ok: false; message: string };
