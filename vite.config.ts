import { defineConfig, type Plugin } from 'vite';

/**
 * Lit leaves the text of `html` and `css` templates alone, indentation and comments included.
 * Drop the indentation after newlines (insignificant in our templates: no <pre>, no textarea
 * text), the comments in `css` templates (they explain the styles to us, not to the browser:
 * 0.9 kB gzip of parley.js, issue 17) and the spaces around CSS punctuation in style modules.
 * Only Parley's own widget files.
 */
function squeezeTemplates(): Plugin {
  return {
    name: 'parley-squeeze-templates',
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id)) return null;
      let out = code.replace(/\n[ \t]+/g, '\n');
      out = out.replace(/css`([^`]*)`/g, (_m, body: string) => 'css`' + body.replace(/\/\*[\s\S]*?\*\//g, '') + '`');
      if (/(\.styles|\/styles\/\w+)\.ts$/.test(id)) {
        out = out.replace(/css`([^`]*)`/g, (_m, body: string) =>
          'css`' + body.replace(/\s+/g, ' ').replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':').replace(/;}/g, '}').trim() + '`',
        );
      }
      return { code: out, map: null };
    },
  };
}

/**
 * Two parts of socket.io-client that Parley never uses, replaced by stand-ins in the bundle
 * (about 1.1 kB gzip; the browser tests run the unmodified library):
 * - engine.io-client's WebTransport transport and its stream codecs: the widget asks for
 *   `transports: ['polling', 'websocket']` and Parley's server does not offer WebTransport;
 * - socket.io-parser's binary attachments: Parley's protocol is JSON only (moderation/protocol.ts).
 *   Should binary ever be sent or received, the stand-in throws a clear error.
 */
function slimSocketIo(): Plugin {
  const stubs: Array<{ source: string; importer: RegExp; code: string }> = [
    {
      source: './webtransport.js',
      importer: /engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]index\.js$/,
      code: 'export const WT = undefined;',
    },
    {
      source: './binary.js',
      importer: /socket\.io-parser[\\/]build[\\/]esm[\\/]index\.js$/,
      code: 'const no = () => { throw new Error("Parley: binary socket messages are not supported"); }; export const deconstructPacket = no, reconstructPacket = no;',
    },
  ];
  return {
    name: 'parley-slim-socket-io',
    enforce: 'pre',
    resolveId(source, importer) {
      const i = stubs.findIndex((s) => s.source === source && importer !== undefined && s.importer.test(importer));
      return i < 0 ? null : `\0parley-stub-${i}`;
    },
    load(id) {
      const m = /^\0parley-stub-(\d+)$/.exec(id);
      return m ? stubs[Number(m[1])]!.code : null;
    },
  };
}

// The widget as one self-contained ES module: dist/parley.js (and dist/parley-count.js) (lit, socket.io-client and
// DOMPurify bundled in). Vite 8 leaves whitespace in library builds unless rolldown is told
// to minify (see /work/shared/STACK.md).
export default defineConfig({
  plugins: [squeezeTemplates(), slimSocketIo()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Maps are written for debugging but not referenced from the bundle every visitor downloads.
    sourcemap: 'hidden',
    lib: {
      // parley-count.js is a second, dependency-free entry for listing pages (issue 10): it
      // must not pull the discussion's code, so it imports nothing at run time.
      entry: { parley: 'widget/index.ts', 'parley-count': 'widget/parley-count.ts' },
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
    },
    rolldownOptions: {
      // Lazy parts (the audit log) import lit & co. from parley.js itself instead of a third
      // shared chunk, and live in dist/assets (served with CORS like parley.js).
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        chunkFileNames: 'assets/[name]-[hash].js',
        // Issue 17: everything parley.js imports statically belongs IN parley.js. Left alone,
        // Rolldown moves the modules the lazy chunks share with the entry (lit, the English
        // strings, the design tokens and control styles) into a common chunk that the first
        // render then fetches beside parley.js: a second request, and about 0.8 kB more gzip
        // than one file (two compression windows, and the names passed between them). A group
        // named like the entry that captures the entry module captures its static imports too
        // (includeDependenciesRecursively) and becomes the entry chunk; lazy chunks import the
        // shared modules from ../parley.js, which has always loaded first. Dynamic imports stay
        // chunks of their own. test/browser/bundle.test.ts checks that parley.js imports nothing.
        codeSplitting: {
          groups: [{ name: 'parley', test: /[\\/]widget[\\/]index\.ts$/ }],
        },
      },
    },
  },
});
