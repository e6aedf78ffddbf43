import { documentMetadata, splitKeywords, tidyText } from './document-props';
import type { FileMetadata } from './file-metadata';
import { parseXmpDate } from './dates';

// RTF: the {\info ...} group holds the document properties ({\title}, {\subject}, {\author},
// {\keywords}, {\doccomm}, {\creatim\yr\mo\dy\hr\min}); the words are the text outside the
// destinations (font and colour tables, pictures, {\*...} groups). Read by a small tokenizer over
// at most LIMITS.zipEntryBytes of the file.

const SKIPPED = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'header',
  'footer',
  'headerl',
  'headerr',
  'footerl',
  'footerr',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'xmlnstbl',
  'themedata',
  'colorschememapping',
  'latentstyles',
  'datastore',
  'fldinst',
]);
const INFO_TEXT = new Set(['title', 'subject', 'author', 'keywords', 'doccomm', 'operator', 'company']);
const BREAKS = new Set(['par', 'line', 'sect', 'page', 'row', 'cell', 'tab']);

interface Group {
  /** The destination this group's text goes to: null = skipped, 'body' = the document's words. */
  dest: string | null;
  /** Characters to skip after a \uN escape (its ANSI fallback). */
  uc: number;
}

export function readRtf(bytes: Buffer): FileMetadata {
  const s = bytes.toString('latin1');
  const info = new Map<string, string>();
  const created: Record<string, number> = {};
  let body = '';
  const stack: Group[] = [];
  let g: Group = { dest: 'body', uc: 1 };
  let skipChars = 0;
  const emit = (text: string) => {
    if (skipChars > 0) {
      const n = Math.min(skipChars, text.length);
      skipChars -= n;
      text = text.slice(n);
    }
    if (!text || g.dest === null) return;
    if (g.dest === 'body') body += text;
    else if (INFO_TEXT.has(g.dest)) info.set(g.dest, (info.get(g.dest) ?? '') + text);
  };
  let i = 0;
  let groupStart = false;
  while (i < s.length && body.length < 2 * 1024 * 1024) {
    const c = s[i]!;
    if (c === '{') {
      stack.push(g);
      g = { ...g };
      groupStart = true;
      i++;
      continue;
    }
    if (c === '}') {
      g = stack.pop() ?? g;
      i++;
      continue;
    }
    if (c === '\\') {
      const m = /^\\(?:([a-zA-Z]+)(-?\d+)? ?|'([0-9a-fA-F]{2})|(\*)|([^a-zA-Z]))/.exec(s.slice(i, i + 40));
      if (!m) {
        i++;
        continue;
      }
      i += m[0].length;
      const [, word, arg, hex, star, sym] = m;
      const first = groupStart;
      groupStart = false;
      if (star)
        g.dest = null; // {\* ...}: an optional destination we do not know
      else if (hex) emit(Buffer.from(hex, 'hex').toString('latin1'));
      else if (sym)
        emit(sym === '~' ? '\u00a0' : sym === '\n' || sym === '\r' ? '\n' : /[\\{}]/.test(sym) ? sym : '');
      else if (word) {
        if (word === 'u' && arg) {
          const n = Number(arg);
          emit(String.fromCharCode(n < 0 ? n + 65536 : n));
          skipChars = g.uc;
        } else if (word === 'uc' && arg) g.uc = Number(arg);
        else if (g.dest === 'info' && INFO_TEXT.has(word)) g.dest = word;
        else if (g.dest === 'info' && word === 'creatim') g.dest = 'creatim';
        else if (g.dest === 'creatim' && ['yr', 'mo', 'dy', 'hr', 'min', 'sec'].includes(word) && arg)
          created[word] = Number(arg);
        else if (first && word === 'info') g.dest = 'info';
        else if (first && SKIPPED.has(word)) g.dest = null;
        else if (BREAKS.has(word)) emit(word === 'tab' || word === 'cell' ? ' ' : '\n');
      }
      continue;
    }
    groupStart = false;
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    const next = s.slice(i).search(/[\\{}\r\n]/);
    const run = next < 0 ? s.slice(i) : s.slice(i, i + next);
    emit(run);
    i += run.length;
  }
  const p2 = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  const date = created.yr
    ? parseXmpDate(
        `${created.yr}-${p2(created.mo ?? 1)}-${p2(created.dy ?? 1)}` +
          (created.hr !== undefined ? `T${p2(created.hr)}:${p2(created.min)}:${p2(created.sec)}` : ''),
      )
    : null;
  return documentMetadata({
    title: info.get('title'),
    description: info.get('subject') ?? info.get('doccomm'),
    creator: info.get('author'),
    keywords: splitKeywords(info.get('keywords')),
    created: date,
    text: tidyText(body),
  });
}
