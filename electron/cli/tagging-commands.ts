import { OCR_MODES, type AutoTag, type OcrMode } from '../../shared/auto-tags';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';

export const TAGGING_HELP = `  tag [ID|PATH...] [--json] tag what is pending on this machine (everything untagged when none is named);
                           returns when done; --json: backend, counts, images/s, and text
                           recognition: pictures read by the rule that made OCR run, skipped
  tags ID|PATH [--json]    auto-tags: label, kind, confidence, box, model, state
  tags accept|reject ID|PATH LABEL...
                           accept (becomes a keyword, Objects|LABEL in the sidecar) or reject (never again)`;

export const TAGGING_COMMANDS = ['tag', 'tags'];
export const TAGGING_CONFIG_KEYS = ['tagging', 'tagging-threshold', 'ocr'];

function assetOf(lib: Library, arg: string | undefined): number {
  if (!arg) throw invalidInput('missing ID or PATH');
  const a = lib.findAsset(arg);
  if (!a) throw notFound(`no asset ${arg} in the catalogue`);
  return a.id;
}

function tagLine(t: AutoTag): string {
  const box = t.box ? `  box ${[t.box.x, t.box.y, t.box.w, t.box.h].map((v) => v.toFixed(3)).join(' ')}` : '';
  return `${t.state.padEnd(8)}  ${t.kind.padEnd(6)}  ${t.confidence.toFixed(2)}  ${t.label}${box}  (${t.model} ${t.modelVersion})`;
}

/** `dam config tagging on|off`, `tagging-threshold 0.N` and `ocr off|auto|all`: the rows config prints. */
export function taggingConfig(
  lib: Library,
  key: string | undefined,
  value: string | undefined,
): [string, string][] {
  if (key !== undefined && value !== undefined) {
    if (key === 'tagging') {
      if (value !== 'on' && value !== 'off') throw invalidInput(`tagging is on or off (got "${value}")`);
      lib.tagging.configure({ enabled: value === 'on' });
    } else if (key === 'ocr') {
      if (!OCR_MODES.includes(value as OcrMode))
        throw invalidInput(`ocr is off, auto (where text is likely) or all (got "${value}")`);
      lib.tagging.configure({ ocr: value as OcrMode });
    } else {
      const n = Number(value);
      if (!/^0?\.\d+$/.test(value.trim()) || !(n > 0 && n < 1))
        throw invalidInput(`tagging-threshold is a number between 0 and 1, like 0.4 (got "${value}")`);
      lib.tagging.configure({ threshold: n });
    }
  }
  const s = lib.tagging.status();
  return [
    ['tagging', s.enabled ? 'on' : 'off'],
    ['tagging-threshold', String(s.threshold)],
    ['ocr', s.ocr],
  ];
}

/** Runs tag or tags; returns the exit code. */
export async function runTaggingCommand(
  lib: Library,
  command: string,
  args: string[],
  opts: { json?: boolean },
  out: (s: string) => void,
): Promise<number> {
  if (command === 'tag') {
    lib.events.on('warning', (e) => process.stderr.write(`warning: ${e.message}\n`));
    const ids = args.length ? args.map((a) => assetOf(lib, a)) : undefined;
    const before = lib.tagging.status();
    const started = Date.now();
    lib.tagging.start();
    const owed = lib.tagging.owe(ids);
    // Until nothing named is owed: a process that stops running tagging meanwhile drops the jobs
    // it had queued (they are owed again here); pictures that fail keep an error and are not owed.
    for (let pass = 0; pass < 3; pass++) {
      await lib.tagging.whenIdle();
      if (lib.tagging.owe(ids) === 0) break;
    }
    const seconds = (Date.now() - started) / 1000;
    const after = lib.tagging.status();
    const tagged = Math.max(0, after.tagged - before.tagged);
    const failed = Math.max(0, after.failed - before.failed);
    const report = {
      backend: lib.tagging.backend,
      owed,
      tagged,
      failed,
      pending: after.pending,
      seconds: Math.round(seconds * 100) / 100,
      imagesPerSecond: after.perSecond,
      threshold: after.threshold,
      ocr: lib.tagging.ocrReport(),
    };
    if (opts.json) out(JSON.stringify(report));
    else
      out(
        owed === 0
          ? 'nothing to tag'
          : `tagged ${tagged} picture(s), ${failed} failed, in ${report.seconds} s (${report.imagesPerSecond} images/s, ${report.backend ?? 'no'} backend)`,
      );
    return 0;
  }
  const [sub, ...rest] = args;
  if (sub === 'accept' || sub === 'reject') {
    const id = assetOf(lib, rest[0]);
    const labels = rest.slice(1);
    if (!labels.length) throw invalidInput(`tags ${sub}: give the LABEL(s) to ${sub}`);
    if (sub === 'accept') lib.tagging.accept([id], labels);
    else lib.tagging.reject([id], labels);
    // The sidecar write an accept owes is done before we exit.
    await lib.governance.flush();
    if (opts.json) out(JSON.stringify(lib.tagging.tagsOf(id), null, 2));
    else out(`${sub === 'accept' ? 'accepted' : 'rejected'} ${labels.join(', ')} on asset ${id}`);
    return 0;
  }
  const id = assetOf(lib, sub);
  const tags = lib.tagging.tagsOf(id);
  if (opts.json) out(JSON.stringify(tags, null, 2));
  else if (!tags.length)
    out(`asset ${id}: no auto-tags${lib.tagging.errorOf(id) ? ` (${lib.tagging.errorOf(id)})` : ''}`);
  else tags.forEach((t) => out(tagLine(t)));
  return 0;
}
