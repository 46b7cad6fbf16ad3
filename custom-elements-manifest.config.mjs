// `cem analyze` (@custom-elements-manifest/analyzer 0.11, run by `npm run build:widget`) writes
// custom-elements.json, shipped in the package (package.json `customElements`) for editors and
// design-system tools.
//
// The analyzer reads JSDoc tags (@fires, @csspart …) on the class. Parley's components instead open
// their file with a doc block in plain prose (see /work/shared/DESIGN.md): "Attributes / properties:",
// "Events:", "Slots:", "CSS parts:", "CSS custom properties:" sections with backticked names. The
// plugin below reads those blocks so that the doc block stays the one place the public API is
// written, and finds tag names from `customElements.define(...)` calls and `['parley-x', Class]`
// tables, which the analyzer does not follow.
import fs from 'node:fs';
import path from 'node:path';

const SECTION = /^(Attributes \/ properties|Attributes|Properties|Methods?|Events?|Slots?|CSS parts|CSS custom properties|Keyboard|Read-only)\b[^:`]*:\s*(.*)$/;

/** The leading `/** … *\/` block of a file, as lines without the ` * ` prefix. */
function docBlock(source) {
  const match = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!match) return [];
  return match[1].split('\n').map((line) => line.replace(/^\s*\* ?/, '').trimEnd());
}

/** Splits a doc block into its prose (before the first section) and its sections by name. */
function parseBlock(lines) {
  const prose = [];
  const sections = {};
  let current = null;
  for (const line of lines) {
    const header = SECTION.exec(line);
    if (header) {
      current = header[1].toLowerCase();
      sections[current] = [...(sections[current] ?? []), header[2]];
    } else if (current && line.trim() === '') {
      current = null;
    } else if (current) {
      sections[current].push(line);
    } else {
      prose.push(line);
    }
  }
  return { prose: prose.join('\n').trim(), sections };
}

/** Bullets (`- …`, continued on indented lines) of a section, or the whole section as one item. */
function items(section = []) {
  const out = [];
  for (const line of section) {
    if (/^\s*- /.test(line)) out.push(line.replace(/^\s*- /, ''));
    else if (out.length && /^\s+/.test(line)) out[out.length - 1] += ` ${line.trim()}`;
    else if (line.trim()) out.push(line.trim());
  }
  return out;
}

const ticked = (text) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
const afterName = (item) => item.replace(/^`[^`]+`(\s*\/\s*`[^`]+`)?\s*/, '').replace(/^:\s*/, '').trim();

function tagMap(root) {
  const map = new Map();
  for (const file of fs.readdirSync(path.join(root, 'widget'), { recursive: true })) {
    if (!String(file).endsWith('.ts')) continue;
    const source = fs.readFileSync(path.join(root, 'widget', String(file)), 'utf8');
    for (const m of source.matchAll(/(?:define\(\s*|\[\s*)'(parley-[a-z-]+)',\s*([A-Z]\w+)/g)) map.set(m[2], m[1]);
  }
  return map;
}

function parleyDocBlocks() {
  return {
    name: 'parley-doc-blocks',
    packageLinkPhase({ customElementsManifest }) {
      const root = process.cwd();
      const tags = tagMap(root);
      for (const mod of customElementsManifest.modules) {
        const source = fs.readFileSync(path.join(root, mod.path), 'utf8');
        const { prose, sections } = parseBlock(docBlock(source));
        for (const decl of mod.declarations ?? []) {
          const tag = tags.get(decl.name);
          if (decl.kind !== 'class' || !tag) continue;
          decl.customElement = true;
          decl.tagName = tag;
          // A file that describes several elements in bullets ("- `<parley-rules …>`: …").
          const bullet = items(prose.split('\n')).find((item) => item.startsWith(`\`<${tag}`));
          decl.description = bullet ?? prose;

          const attributeItems = items([...(sections['attributes / properties'] ?? []), ...(sections.attributes ?? []), ...(sections.properties ?? [])]);
          for (const item of attributeItems) {
            const names = /^`([^`]+)`(?:\s*\/\s*`([^`]+)`)?/.exec(item);
            if (!names) continue;
            const description = afterName(item);
            for (const attr of decl.attributes ?? []) {
              // An attribute without a field (a plain HTMLElement's observedAttributes) has no fieldName:
              // it must not match the missing second name of every single-name bullet.
              if ([names[1], names[2]].includes(attr.name) || (attr.fieldName && [names[1], names[2]].includes(attr.fieldName))) attr.description ||= description;
            }
            for (const member of decl.members ?? []) {
              if ([names[1], names[2]].includes(member.name)) member.description ||= description;
            }
          }

          // Only Parley's own events (the analyzer also reports `dispatchEvent(new Event(type))` as "type").
          const events = new Map((decl.events ?? []).filter((e) => /^parley-[a-z-]+$/.test(e.name ?? '')).map((e) => [e.name, e]));
          for (const item of items(sections.events ?? sections.event)) {
            for (const name of ticked(item).filter((n) => /^parley-[a-z-]+$/.test(n))) {
              events.set(name, { ...events.get(name), name, description: item.startsWith(`\`${name}\``) ? afterName(item) : item });
            }
          }
          for (const m of [...prose.matchAll(/fires `(parley-[a-z-]+)`/g)]) events.set(m[1], { ...events.get(m[1]), name: m[1] });
          if (events.size) decl.events = [...events.values()];
          else delete decl.events;
          // The public API only: private and protected members are the component's own business.
          if (decl.members) decl.members = decl.members.filter((m) => m.privacy !== 'private' && m.privacy !== 'protected' && !m.name.startsWith('#'));

          const parts = (sections['css parts'] ?? []).join(' ');
          const partNames = ticked(parts).filter((n) => /^[a-z][a-z-]*$/.test(n));
          if (partNames.length) decl.cssParts = [...new Set(partNames)].map((name) => ({ name }));
          const props = ticked((sections['css custom properties'] ?? []).join(' ')).filter((n) => /^--[a-z-]+$/.test(n));
          if (props.length) decl.cssProperties = [...new Set(props)].map((name) => ({ name }));
          const slotItems = items(sections.slots ?? sections.slot);
          const slots = slotItems.flatMap((item) => ticked(item).filter((n) => /^[a-z][a-z-]*$/.test(n)).slice(0, 1).map((name) => ({ name, description: afterName(item) })));
          if (slots.length) decl.slots = slots;

          mod.exports ??= [];
          if (!mod.exports.some((e) => e.kind === 'custom-element-definition' && e.name === tag)) {
            mod.exports.push({ kind: 'custom-element-definition', name: tag, declaration: { name: decl.name, module: mod.path } });
          }
        }
      }
      // Keep the modules that hold elements (inherited members are already copied into them).
      customElementsManifest.modules = customElementsManifest.modules.filter((mod) => (mod.declarations ?? []).some((d) => d.tagName));
      for (const mod of customElementsManifest.modules) mod.declarations = mod.declarations.filter((d) => d.tagName);
      for (const mod of customElementsManifest.modules) mod.exports = (mod.exports ?? []).filter((e) => e.kind === 'custom-element-definition');
    },
  };
}

export default {
  globs: ['widget/**/*.ts'],
  exclude: ['**/*.styles.ts', 'widget/styles/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [parleyDocBlocks()],
};
