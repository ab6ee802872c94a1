// ESLint (flat config): `npm run lint` runs it with knip (unused exports, see knip.json).
// TypeScript is linted with type information (tsconfig.test.json covers provider/, emulator/,
// bin/, test/, index.ts and examples/; bench/tsconfig.json covers bench/); the CommonJS scripts
// are linted without it. Every rule that is off or relaxed says why on its line.
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "bench/results/**", "test/fixtures/**", "examples/**/node_modules/**", "**/*.d.ts"],
  },
  {
    linterOptions: {
      // An eslint-disable comment that disables nothing is itself a problem: they must stay real.
      reportUnusedDisableDirectives: "error",
    },
  },

  // --- TypeScript, type-aware ---------------------------------------------------------------
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.test.json", "./bench/tsconfig.json"],
        tsconfigRootDir: path.dirname(fileURLToPath(import.meta.url)),
      },
      globals: { ...globals.node },
    },
    rules: {
      // The rules this project follows (issue 15): every promise is awaited, returned, or `void`-ed
      // with a reason.
      "@typescript-eslint/no-floating-promises": "error",
      // Checked in full (checksVoidReturn too): no async function is passed where void is expected.
      "@typescript-eslint/no-misused-promises": "error",
      // `import type` when every name is a type, `import { x, type T }` when mixed: both styles the
      // code already uses (inline for mixed imports keeps one import line per module).
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        // A leading underscore marks a deliberately unused parameter/binding (handler signatures,
        // destructuring that drops a field).
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Off: async functions without an await implement Promise-returning contracts (dynamic
      // provider handlers, Graph client stand-ins); dropping `async` would turn their throws into
      // synchronous ones, which changes behaviour.
      "@typescript-eslint/require-await": "off",
      // Off: the emulator and the on-demand results stringify JSON scalars held as `unknown` on
      // purpose (objects are handled first); the rule cannot see that narrowing.
      "@typescript-eslint/no-base-to-string": "off",
    },
  },

  // The state contract requires each handler on its first call, so that the program process never
  // loads the provider side: the lazy require()s are the point of that module.
  {
    files: ["provider/state/contract.ts"],
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
    },
  },

  // --- Tests and benchmarks -------------------------------------------------------------------
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      // Off in tests and benchmarks: they read untyped JSON (the emulator's and Graph's answers,
      // Pulumi checkpoints, `res.body.value[0].id`) and assert on it; typing every answer would add
      // noise, not safety. The provider and the emulator keep these rules.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Off here too: assertion and report messages interpolate untyped JSON and buffers as they are.
      "@typescript-eslint/restrict-template-expressions": "off",
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Off in tests: they require() at run time on purpose: the installed package by the paths the
      // provider process uses (so that module identity is the provider's), the stored provider text
      // through require-from-string (untyped CommonJS), and the repository's JS scripts.
      "@typescript-eslint/no-require-imports": "off",
    },
  },

  // --- CommonJS scripts, no type information --------------------------------------------------
  {
    files: ["scripts/**/*.js", "test/**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: "commonjs",
      ecmaVersion: 2022,
      globals: { ...globals.node },
    },
  },
);
