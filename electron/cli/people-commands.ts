import type { Person } from '../../shared/people';
import { invalidInput, notFound } from '../core/errors';
import type { Library } from '../core/library';

export const PEOPLE_HELP = `  people [--json]          clusters of faces: id, name, faces, assets, a sample asset
  people name CLUSTER NAME            name a cluster (every face in it); a name in use merges the two
  people merge CLUSTER CLUSTER        the second cluster's faces join the first
  people split FACE | remove-face FACE
                           take a face into a cluster of its own | say it is no face (never detected again)
  people faces ID|PATH [--json]       the faces of an asset: id, box, cluster and name`;

export const PEOPLE_COMMANDS = ['people'];

function idArg(arg: string | undefined, what: string): number {
  const n = Number(arg);
  if (!arg || !Number.isInteger(n) || n < 1)
    throw invalidInput(`expected a ${what} id (a number), got "${arg ?? ''}"`);
  return n;
}

function personLine(p: Person): string {
  const name = p.name ?? '(unnamed)';
  return `${String(p.id).padStart(5)}  ${name}  ${p.faces} face${p.faces === 1 ? '' : 's'} in ${p.assets} asset${p.assets === 1 ? '' : 's'}${p.sampleAssetId ? `  e.g. asset ${p.sampleAssetId}` : ''}`;
}

/** Runs `dam people ...`; resolves when the sidecars the change owes are written. */
export async function runPeopleCommand(
  lib: Library,
  args: string[],
  values: { json?: boolean },
  out: (s: string) => void,
): Promise<number> {
  const [sub, ...rest] = args;
  const people = lib.people;
  switch (sub) {
    case undefined:
    case 'list': {
      const all = people.list();
      if (values.json) out(JSON.stringify(all, null, 2));
      else if (!all.length) out('no faces catalogued yet (dam tag finds them)');
      else all.forEach((p) => out(personLine(p)));
      return 0;
    }
    case 'name': {
      const id = idArg(rest[0], 'cluster');
      const name = rest.slice(1).join(' ');
      if (!name.trim()) throw invalidInput('people name needs a NAME after the cluster id');
      const res = people.name(id, name);
      if (values.json) out(JSON.stringify(res));
      else
        out(
          res.personId === id
            ? `cluster ${id} is "${name.trim()}"`
            : `cluster ${id} merged into "${name.trim()}" (${res.personId})`,
        );
      break;
    }
    case 'merge': {
      if (rest.length !== 2) throw invalidInput('people merge takes two cluster ids: INTO FROM');
      const res = people.merge(idArg(rest[0], 'cluster'), idArg(rest[1], 'cluster'));
      if (values.json) out(JSON.stringify(res));
      else out(`cluster ${rest[1]} merged into ${res.personId}`);
      break;
    }
    case 'split': {
      const res = people.split(idArg(rest[0], 'face'));
      if (values.json) out(JSON.stringify(res));
      else out(`face ${rest[0]} is now cluster ${res.personId}`);
      break;
    }
    case 'remove-face': {
      const id = idArg(rest[0], 'face');
      people.removeFace(id);
      if (values.json) out(JSON.stringify({ removed: id }));
      else out(`face ${id} removed`);
      break;
    }
    case 'faces': {
      if (!rest[0]) throw invalidInput('people faces needs an asset: ID or PATH');
      const a = lib.findAsset(rest[0]);
      if (!a) throw notFound(`no asset ${rest[0]} in the catalogue`);
      const faces = lib.faces({ assetId: a.id });
      if (values.json) out(JSON.stringify(faces, null, 2));
      else if (!faces.length) out(`no faces in asset ${a.id}`);
      else
        faces.forEach((f) =>
          out(
            `face ${f.id}  cluster ${f.personId ?? '-'}  ${f.name ?? '(unnamed)'}  at ${[f.box.x, f.box.y, f.box.w, f.box.h].map((v) => v.toFixed(3)).join(', ')}  (${f.source})`,
          ),
        );
      return 0;
    }
    default:
      throw invalidInput(`people ${sub}: expects list, name, merge, split, remove-face or faces`);
  }
  // The names go into the sidecars of the assets concerned before we exit.
  await lib.governance.flush();
  return 0;
}
