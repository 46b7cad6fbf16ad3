/**
 * The direction of the imports (docs/architecture.md): `widget/` and `server/` import `moderation/`,
 * never each other; `moderation/` imports neither, nor `demo/`, nor anything that does I/O; the
 * server never imports `demo/` (the demo plugs in through ServerOptions.plugins); and the
 * services under server/services/ import each other as a tree, never in a circle.
 *
 * Imports are read with TypeScript's own parser (static imports and re-exports, `import type`,
 * and `import('…')` with a literal), so a path in a comment or a string is no import, and an
 * `import()` of a computed name in server/ or moderation/ fails the test: the guard must see
 * every import it guards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PARTS = ['moderation', 'server', 'widget', 'demo'] as const;
type Part = (typeof PARTS)[number];

/** Imports that must never exist, as in the project's architecture picture. */
const NEVER: Array<[Part, Part, string]> = [
  ['widget', 'server', 'the widget talks to the server over the wire'],
  ['server', 'widget', 'the server serves the bundle; shared code lives in moderation/'],
  ['server', 'demo', 'the demo plugs into the server, not the reverse'],
  ['moderation', 'server', 'the domain has no I/O'],
  ['moderation', 'widget', 'the domain knows no screen'],
  ['moderation', 'demo', 'the domain knows no demo'],
];
// Pure packages the domain may use: validation, hashes and signatures, and Unicode's confusables data (UTS #39).
const DOMAIN_PACKAGES = ['valibot', '@noble/hashes', '@noble/curves', 'unhomoglyph'];

interface Import {
  from: string;
  /** As written in the source. */
  specifier: string;
  /** Repository path of the file it names (relative specifiers only), else null. */
  target: string | null;
  line: number;
}

/** Every import of one file; `computed` lists the lines of `import(expr)` / `require(expr)` calls. */
function importsOf(file: string, text: string): { imports: Import[]; computed: number[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imports: Import[] = [];
  const computed: number[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const add = (specifier: string, node: ts.Node) => imports.push({ from: file, specifier, target: resolve(file, specifier), line: lineOf(node) });
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) add(expr.text, node);
      else computed.push(lineOf(node));
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) {
        const [arg] = node.arguments;
        if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) add(arg.text, node);
        else computed.push(lineOf(node));
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, computed };
}

/** The repository path a relative specifier names (`./x.js` is the TypeScript file `x.ts`). */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const named = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [named, named.replace(/\.js$/, '.ts'), `${named}.ts`, `${named}/index.ts`];
  return candidates.find((c) => fs.existsSync(path.join(ROOT, c)) && fs.statSync(path.join(ROOT, c)).isFile()) ?? named;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|js|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

const partOf = (file: string): Part | null => PARTS.find((p) => file.startsWith(`${p}/`)) ?? null;

/** The circles of a graph (strongly connected components of more than one file, or a file importing itself). */
function circlesOf(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) circles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return circles;
}

const files = PARTS.flatMap((p) => sourceFiles(p));
const scanned = files.map((file) => ({ file, ...importsOf(file, fs.readFileSync(path.join(ROOT, file), 'utf8')) }));
const allImports = scanned.flatMap((s) => s.imports);
const show = (i: Import) => `${i.from}:${i.line} imports '${i.specifier}'`;

describe('architecture: the direction of the imports', () => {
  it('reads the imports it guards (the scanner sees real imports, and none hidden in comments or strings)', () => {
    const app = allImports.filter((i) => i.from === 'server/app.ts').map((i) => i.target);
    expect(app).toContain('moderation/limits.ts');
    expect(app).toContain('server/services/context.ts');
    // The SQL seam under the stores (SQLite, PostgreSQL) is server code, guarded like the rest.
    expect(files.filter((f) => partOf(f) === 'server')).toContain('server/store/sql/database.ts');
    const sample = importsOf('server/x.ts', [
      "import a from '../demo/a.js';",
      "export { b } from '../widget/b.js';",
      "import type { C } from '../moderation/c.js';",
      "const d = await import('../demo/d.js');",
      "// import e from '../demo/e.js';",
      "const f = \"import f from '../demo/f.js'\";",
      'const g = await import(name);',
    ].join('\n'));
    expect(sample.imports.map((i) => i.target)).toEqual(['demo/a.js', 'widget/b.js', 'moderation/c.js', 'demo/d.js']);
    expect(sample.computed).toEqual([7]);
  });

  for (const [from, to, why] of NEVER) {
    it(`${from}/ never imports ${to}/ (${why})`, () => {
      const broken = allImports.filter((i) => partOf(i.from) === from && i.target !== null && partOf(i.target) === to);
      expect(broken.map(show)).toEqual([]);
    });
  }

  it('server/ and moderation/ name every module they import (no import of a computed name)', () => {
    const hidden = scanned.filter((s) => ['server', 'moderation'].includes(partOf(s.file)!)).flatMap((s) => s.computed.map((line) => `${s.file}:${line}`));
    expect(hidden).toEqual([]);
  });

  it('moderation/ is pure: only its own files and the pure packages, no Node built-ins, no server or DOM libraries', () => {
    const outside = allImports.filter((i) => partOf(i.from) === 'moderation' && i.target === null)
      .filter((i) => !DOMAIN_PACKAGES.some((p) => i.specifier === p || i.specifier.startsWith(`${p}/`)));
    expect(outside.map(show)).toEqual([]);
  });
});

describe('architecture: the services form a tree', () => {
  it('finds circles (the check can fail)', () => {
    const g = (edges: Array<[string, string]>) => {
      const graph = new Map<string, Set<string>>();
      for (const [a, b] of edges) {
        graph.set(a, (graph.get(a) ?? new Set()).add(b));
        if (!graph.has(b)) graph.set(b, new Set());
      }
      return graph;
    };
    expect(circlesOf(g([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']]))).toEqual([['a', 'b', 'c']]);
    expect(circlesOf(g([['a', 'b'], ['a', 'c'], ['b', 'c']]))).toEqual([]);
    expect(circlesOf(g([['a', 'a']]))).toEqual([['a']]);
  });

  it('server/services/ imports no file of its own in a circle (type-only imports count too)', () => {
    const inServices = (f: string | null): f is string => f !== null && f.startsWith('server/services/');
    const graph = new Map<string, Set<string>>();
    for (const s of scanned.filter((s) => inServices(s.file))) {
      graph.set(s.file, new Set(s.imports.map((i) => i.target).filter(inServices)));
    }
    expect(graph.size).toBeGreaterThan(20);
    const circles = circlesOf(graph).map((c) => {
      const ties = c.flatMap((a) => [...graph.get(a)!].filter((b) => c.includes(b)).map((b) => `${a} -> ${b}`));
      return ties.join(', ');
    });
    expect(circles).toEqual([]);
  });
});
