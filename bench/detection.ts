/**
 * Detection: the scripted-reply detector (moderation/detectors/near-duplicate.ts) over a
 * large staff history, used as server/services/scripted-replies.ts uses it — the index built
 * from every visible staff post at start-up, then for each new staff post a query against the
 * company's earlier posts followed by adding it — and the adverse-event detector on member
 * posts (server/services/safety.ts). Issue requirement: "Detection stays fast as history
 * grows: measure it on at least 100,000 staff posts (time per new post, memory)"; measured at
 * two sizes (10,000 and 100,000; --quick: 1,000 and 10,000) to show the growth.
 *
 * In process: the detectors are pure functions with no I/O, so the server adds nothing but a
 * function call around them. Memory is the V8 heap growth over building the index, between two
 * full garbage collections, with the texts (which the server streams from SQLite and does not
 * keep) held on both sides; the index's typed arrays live outside the heap and are counted too.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { compileLexicon, compileProducts, detectAdverseEvents, NearDuplicateIndex, type Product } from '../moderation/detectors/index.js';
import { siteLexicon } from '../moderation/safety.js';
import { prng } from '../test/support/child-server.js';
import { percentiles, round } from './lib/stats.js';

// --- a synthetic but realistic staff history -------------------------------------------------

const COMPANIES = 25;
const TEMPLATES = 300;
/** Share of staff posts that are copies of a central template (the rest are written fresh). */
const TEMPLATE_SHARE = 0.35;

const NAMES = ['Maria', 'Jan', 'Anna', 'Peter', 'Sophie', 'Tom', 'Eva', 'Lukas', 'Fatima', 'Noah', 'Lisa', 'Ahmed', 'Julia', 'Bram', 'Emma', 'Daan', 'Mila', 'Sem', 'Lotte', 'Finn'];
const GREETINGS = ['Dear', 'Hello', 'Hi', 'Good morning'];
const SIGNOFFS = ['Kind regards', 'Best regards', 'Best wishes', 'Many thanks'];
const SUBJECTS = ['your doctor', 'the nurse', 'our medical team', 'the pharmacist', 'your care team', 'the study team', 'our patient support line', 'the clinic', 'your specialist', 'the helpline'];
const VERBS = ['can explain', 'will look at', 'is happy to discuss', 'can help with', 'should review', 'may adjust', 'can answer questions about', 'will follow up on', 'can advise on', 'is the right person for'];
const OBJECTS = ['the dose', 'the timing of the tablets', 'the side effects you describe', 'the results of the scan', 'the next appointment', 'the leaflet in the pack', 'the trial criteria', 'the switch between treatments', 'the blood tests', 'the daily routine at home',
  'the injection schedule', 'the support programme', 'the travel costs', 'the diary of symptoms', 'the questions for the consultation'];
const OPENERS = ['Thank you for sharing this', 'We are sorry to hear about this', 'Thanks for your question', 'It is good that you ask', 'We understand this is worrying', 'This is an important point', 'Thank you for your patience', 'We appreciate your feedback'];
const CLOSERS = ['We cannot give medical advice on a forum', 'Please report any side effect to your doctor', 'Our team is available on weekdays', 'You can find more information in the leaflet', 'Every situation is different', 'Do not stop a treatment without talking to your doctor'];
const FILLER = ('about after again also always because before between both during each early every family first further general group home just later local many more most much never next often only other over own patient people perhaps period quite rather really recent same several since some soon still such then there these through together under until very week when where while within without year '
  + 'appointment carer memory walking sleep tired diet trial support question answer update month clinic mother father daughter son partner helpline leaflet pharmacy hospital therapy treatment dose tablet scan result letter form insurance transport').split(' ');

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

function sentence(rng: Rng): string {
  const words = [pick(rng, SUBJECTS), pick(rng, VERBS), pick(rng, OBJECTS)];
  const extra = 3 + Math.floor(rng() * 8);
  for (let i = 0; i < extra; i++) words.push(pick(rng, FILLER));
  const s = words.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
}

/** A central text: an opener, four to seven sentences, a closer (about 60 to 110 words). */
function template(rng: Rng): string[] {
  const sentences = [`${pick(rng, OPENERS)}.`];
  const n = 4 + Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) sentences.push(sentence(rng));
  sentences.push(`${pick(rng, CLOSERS)}.`);
  return sentences;
}

/** A staff member's copy: own greeting and sign-off, sentences sometimes swapped, a word or two edited. */
function copyOf(rng: Rng, sentences: readonly string[]): string {
  const body = [...sentences];
  if (rng() < 0.5) {
    const i = Math.floor(rng() * body.length);
    const j = Math.floor(rng() * body.length);
    [body[i], body[j]] = [body[j]!, body[i]!];
  }
  const edits = Math.floor(rng() * 3);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rng() * body.length);
    const words = body[i]!.split(' ');
    words[Math.floor(rng() * words.length)] = pick(rng, FILLER);
    body[i] = words.join(' ');
  }
  return `${pick(rng, GREETINGS)} ${pick(rng, NAMES)},\n\n${body.join(' ')}\n\n${pick(rng, SIGNOFFS)}, ${pick(rng, NAMES)}`;
}

/** A reply written fresh: greeting, three to six sentences of its own. */
function unique(rng: Rng): string {
  const n = 3 + Math.floor(rng() * 4);
  const body = Array.from({ length: n }, () => sentence(rng));
  return `${pick(rng, GREETINGS)} ${pick(rng, NAMES)},\n\n${pick(rng, OPENERS)}. ${body.join(' ')}`;
}

interface StaffPost {
  id: string;
  company: string;
  body: string;
}

/** The central texts the companies hand out (the same for the history and the new posts). */
const templates = (() => {
  const rng = prng(0x7e3);
  return Array.from({ length: TEMPLATES }, () => template(rng));
})();

/** Staff posts in the mix above; companies of very different sizes (a few post most). */
function staffHistory(count: number, seed: number, prefix: string): StaffPost[] {
  const rng = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    // Zipf-like: company k gets a share of about log((k+2)/(k+1)), so a few post most.
    const company = `company-${Math.floor((COMPANIES + 1) ** rng()) - 1}`;
    const t = Math.floor(rng() * TEMPLATES);
    const body = rng() < TEMPLATE_SHARE ? copyOf(rng, templates[t]!) : unique(rng);
    // A flat copy, as a string read from SQLite is: V8 keeps concatenations as ropes and
    // flattens them on first use, which would free memory during the measured build.
    return { id: `${prefix}${i}`, company, body: Buffer.from(body).toString() };
  });
}

// --- member posts for the adverse-event detector ---------------------------------------------

const PRODUCTS: Product[] = Array.from({ length: 60 }, (_, i) => ({
  companyId: `company-${i % COMPANIES}`,
  name: `Brand${String.fromCharCode(97 + (i % 26))}${i}ex`,
  inn: [`generi${i}mab`],
}));
const MEMBER_EVENTS = ['felt sick for days', 'had a bad headache', 'got a rash on her arms', 'was very dizzy', 'fell twice last week', 'was confused in the evening', 'had no side effects at all', 'ended up in hospital'];

function memberPosts(count: number, seed: number): string[] {
  const rng = prng(seed);
  return Array.from({ length: count }, () => {
    const parts = Array.from({ length: 2 + Math.floor(rng() * 4) }, () => sentence(rng));
    const r = rng();
    // A fifth name a product, half of those with a possible side effect; the rest name none.
    if (r < 0.1) parts.splice(1, 0, `Since starting ${pick(rng, PRODUCTS).name} my mother ${pick(rng, MEMBER_EVENTS)}.`);
    else if (r < 0.2) parts.splice(1, 0, `The nurse said ${pick(rng, PRODUCTS).inn![0]} is worth asking about.`);
    return parts.join(' ');
  });
}

// --- measuring --------------------------------------------------------------------------------

/** A full collection, if this process can ask for one (`--expose-gc`, or enabled here). */
function collector(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    // Allowed at run time in Node: turns on the flag, then fetches `gc` from a fresh context.
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

async function measureSize(size: number, newPosts: number, gc: (() => void) | null) {
  const history = staffHistory(size, 0x5eed + size, 'h');
  const incoming = staffHistory(newPosts, 0xfeed + size, 'n');
  // The index keeps its signatures and buckets in typed arrays, whose memory is outside the
  // V8 heap ("external"): both count.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  // Collections free typed arrays' memory a little later (off the main thread): settle first.
  const settle = async () => {
    for (let i = 0; gc && i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await settle();
  const heap0 = used();
  const rss0 = process.memoryUsage().rss;
  const index = new NearDuplicateIndex();
  const t0 = performance.now();
  for (const p of history) index.add(p.id, p.company, p.body);
  const buildMs = performance.now() - t0;
  await settle();
  const heapDelta = used() - heap0;
  const rssDelta = process.memoryUsage().rss - rss0;
  const stats = index.stats();

  // The hot path of labelIfScripted: query the company's earlier posts, then index the post.
  const total: number[] = [];
  let queryMs = 0;
  let addMs = 0;
  let labelled = 0;
  for (const p of incoming) {
    const a = performance.now();
    const matches = index.query(p.company, p.body, 0.6, { excludeId: p.id, limit: 1000 });
    const b = performance.now();
    index.add(p.id, p.company, p.body);
    const c = performance.now();
    total.push(c - a);
    queryMs += b - a;
    addMs += c - b;
    if (matches.length > 0) labelled++;
  }
  const perPost = percentiles(total);
  const result = {
    // Read after the measurements: V8 may free a variable it sees no later use of, and the
    // texts must stay alive across both readings of the memory.
    staffPosts: history.length,
    indexed: stats.posts - newPosts,
    companies: stats.groups,
    build: { ms: round(buildMs, 0), perPostUs: round((buildMs / size) * 1000, 1) },
    newPost: {
      n: perPost.n,
      p50Ms: perPost.p50,
      p99Ms: perPost.p99,
      maxMs: perPost.max,
      meanMs: round(total.reduce((x, y) => x + y, 0) / total.length, 3),
      meanQueryMs: round(queryMs / total.length, 3),
      meanAddMs: round(addMs / total.length, 3),
      labelledShare: round(labelled / total.length, 3),
    },
    memory: {
      heapDeltaMB: gc ? mb(heapDelta) : null,
      heapPerPostBytes: gc ? Math.round(heapDelta / size) : null,
      rssDeltaMB: mb(rssDelta),
      typedArraysMB: mb(stats.typedArrayBytes),
      estimatedMB: mb(stats.estimatedBytes),
    },
  };
  return result;
}

function measureAdverseEvents(count: number) {
  // As server/services/safety.ts compiles them for a site: the register's products, the lexicon.
  const products = compileProducts(PRODUCTS);
  const lexicon = compileLexicon(siteLexicon([]));
  const posts = memberPosts(count, 0xae);
  for (const text of posts.slice(0, 200)) detectAdverseEvents(text, products, { lexicon }); // warm-up
  const times: number[] = [];
  let flagged = 0;
  for (const text of posts) {
    const a = performance.now();
    const matches = detectAdverseEvents(text, products, { lexicon });
    times.push(performance.now() - a);
    if (matches.length) flagged++;
  }
  const p = percentiles(times);
  return {
    memberPosts: count,
    products: PRODUCTS.length,
    p50Ms: p.p50,
    p99Ms: p.p99,
    maxMs: p.max,
    meanMs: round(times.reduce((x, y) => x + y, 0) / times.length, 4),
    flaggedShare: round(flagged / count, 3),
  };
}

export async function detection(options: { quick: boolean; log: (line: string) => void }) {
  const sizes = options.quick ? [1_000, 10_000] : [10_000, 100_000];
  const newPosts = options.quick ? 1_000 : 2_000;
  const gc = collector();
  // Warm the JIT on a small index so the first size is not charged for compilation.
  await measureSize(2_000, 200, null);
  const rows = [];
  for (const size of sizes) {
    options.log(`detection: scripted replies over ${size.toLocaleString('en')} staff posts`);
    rows.push(await measureSize(size, newPosts, gc));
  }
  options.log('detection: adverse events on member posts');
  const adverse = measureAdverseEvents(options.quick ? 5_000 : 20_000);
  const [small, large] = [rows[0]!, rows[rows.length - 1]!];
  return {
    rows,
    adverse,
    requirement: 'Detection stays fast as history grows: measure it on at least 100,000 staff posts (time per new post, memory)',
    growth: {
      posts: round(large.staffPosts / small.staffPosts, 1),
      p50: small.newPost.p50Ms ? round(large.newPost.p50Ms! / small.newPost.p50Ms, 2) : null,
      p99: small.newPost.p99Ms ? round(large.newPost.p99Ms! / small.newPost.p99Ms, 2) : null,
      memory: small.memory.heapDeltaMB ? round(large.memory.heapDeltaMB! / small.memory.heapDeltaMB, 1) : null,
    },
    notes: [
      `Staff history: ${TEMPLATES} central templates copied with their own greeting, sign-off, swapped sentences and one or two edited words (${Math.round(TEMPLATE_SHARE * 100)}% of posts), the rest written fresh; ${COMPANIES} companies of Zipf-like sizes; 30–120 words a post. Seeded, so every run measures the same texts.`,
      `New post = the server's hot path for a staff post (\`labelIfScripted\`): \`query\` (threshold 0.6, up to 1,000 matches) against the company's earlier posts, then \`add\`; ${newPosts.toLocaleString('en')} new posts per size. Build = the start-up rebuild from every visible staff post.`,
      gc
        ? 'Memory: growth of V8 heap + external memory (the typed arrays) over building the index, between two full collections, the texts held on both sides (the server streams them from SQLite). RSS is coarser (allocator pages, earlier benchmarks in this process).'
        : 'Memory: no garbage collector access in this process, so the heap figure is not shown; RSS delta and the index\'s own estimate only.',
      `Adverse events: \`detectAdverseEvents\` per member post with a register of ${PRODUCTS.length} products and the default lexicon, compiled once as the server does; one post in ten names a product with a possible side effect. It does not depend on history size.`,
    ],
  };
}
