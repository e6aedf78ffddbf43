import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/core/api';
import { tempDir } from '../helpers/corpus';
import { CLI, freshLibrary } from '../helpers/library';

/** exiftool's structured reading of the face properties of a sidecar, as another application sees them. */
function exifFaces(file: string): {
  PersonInImage?: string[];
  RegionInfo?: { RegionList: { Name: string }[] };
} {
  const out = execFileSync('exiftool', [
    '-j',
    '-struct',
    '-XMP-mwg-rs:all',
    '-XMP-iptcExt:PersonInImage',
    file,
  ]).toString();
  return (JSON.parse(out) as ReturnType<typeof exifFaces>[])[0]!;
}

const DIGIKAM_REGIONS = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
   <digiKam:TagsList><rdf:Seq><rdf:li>People/Bo Chen</rdf:li></rdf:Seq></digiKam:TagsList>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="96" stDim:h="64" stDim:unit="pixel"/>
    <mwg-rs:RegionList>
     <rdf:Bag>
      <rdf:li>
       <rdf:Description mwg-rs:Name="Bo Chen" mwg-rs:Type="Face">
        <mwg-rs:Area stArea:x="0.25" stArea:y="0.35" stArea:w="0.1" stArea:h="0.2" stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
     </rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

describe('people in the catalogue: XMP regions in, names out, the contract and the CLI', () => {
  let ctx: ReturnType<typeof freshLibrary>;
  let root: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ctx = freshLibrary();
    root = tempDir('dam-people-root-');
    const jpeg = (name: string) =>
      sharp({ create: { width: 96, height: 64, channels: 3, background: '#7a8' } })
        .jpeg()
        .toFile(path.join(root, name));
    await Promise.all(['lightroom.jpg', 'digikam.jpg', 'plain.jpg'].map(jpeg));
    // Lightroom-style regions inside the file; digiKam's in a sidecar beside it.
    execFileSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=96,H=64,Unit=pixel},RegionList=[{Area={X=0.5,Y=0.4,W=0.2,H=0.3,Unit=normalized},Name=Ana Lima,Type=Face}]}',
      path.join(root, 'lightroom.jpg'),
    ]);
    fs.writeFileSync(path.join(root, 'digikam.jpg.xmp'), DIGIKAM_REGIONS);
    ctx.lib.addRoot(root);
    await ctx.lib.scan();
    for (const name of ['lightroom.jpg', 'digikam.jpg', 'plain.jpg'])
      ids[name] = ctx.lib.findAsset(path.join(root, name))!.id;
  });
  afterAll(async () => {
    await ctx.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads named regions from the file and from a digiKam sidecar as named faces', () => {
    const [lr, dk, plain] = ctx.lib.assets([ids['lightroom.jpg']!, ids['digikam.jpg']!, ids['plain.jpg']!]);
    expect(lr).toMatchObject({ people: ['Ana Lima'], faces: 1 });
    expect(dk).toMatchObject({ people: ['Bo Chen'], faces: 1 });
    expect(plain).toMatchObject({ people: [], faces: 0 });
    expect(ctx.lib.people.list().map((p) => [p.name, p.faces])).toEqual([
      ['Ana Lima', 1],
      ['Bo Chen', 1],
    ]);
    const [face] = ctx.lib.faces({ assetId: ids['lightroom.jpg']! });
    expect(face).toMatchObject({ name: 'Ana Lima', source: 'xmp' });
    expect(face!.box.x).toBeCloseTo(0.4, 6);
  });

  it('renaming a person over the contract writes the name into the sidecar; digiKam’s own is left as it is', async () => {
    const handlers = createHandlers(ctx.lib);
    const bo = ctx.lib.people.list().find((p) => p.name === 'Bo Chen')!;
    const res = await dispatch(handlers, 'people.name', { id: bo.id, name: 'Bo Chen-Li' });
    expect(res).toEqual({ ok: true, value: { personId: bo.id } });
    await ctx.lib.governance.flush();
    // Written where sidecars are written (photo.xmp by default); digiKam's photo.jpg.xmp is only read.
    const t = exifFaces(path.join(root, 'digikam.xmp'));
    expect(t.PersonInImage).toEqual(['Bo Chen-Li']);
    expect(t.RegionInfo!.RegionList.map((r) => r.Name)).toEqual(['Bo Chen-Li']);
    expect(fs.readFileSync(path.join(root, 'digikam.jpg.xmp'), 'utf8')).toBe(DIGIKAM_REGIONS);
    // A rescan reads our own sidecar back: the name stays.
    await ctx.lib.scan();
    expect(ctx.lib.assets([ids['digikam.jpg']!])[0]!.people).toEqual(['Bo Chen-Li']);
    // Bad input is refused with a clear error.
    const bad = await dispatch(handlers, 'people.name', { id: 99999, name: 'X' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const empty = await dispatch(handlers, 'people.name', { id: bo.id, name: ' ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await dispatch(handlers, 'people.merge', { into: 'x', from: 1 })).toMatchObject({ ok: false });
  });

  it('a detected face that is named is written as a region of the picture it is in', async () => {
    const plain = ids['plain.jpg']!;
    const d = new Float32Array(1024).map((_, i) => (i % 7) / 7);
    ctx.lib.db.transaction(() =>
      ctx.lib.people.storeDetected(
        plain,
        ctx.lib.assets([plain])[0]!.fileId,
        [{ box: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 }, score: 0.93, descriptor: d }],
        'blazeface+faceres',
      ),
    )();
    const face = ctx.lib.faces({ assetId: plain })[0]!;
    expect(face).toMatchObject({ source: 'detected', name: null, confidence: 0.93 });
    ctx.lib.people.name(face.personId!, 'Cy');
    await ctx.lib.governance.flush();
    const sidecar = path.join(root, 'plain.xmp');
    const t = exifFaces(sidecar) as { PersonInImage: string[]; RegionInfo: Record<string, unknown> };
    expect(t.PersonInImage).toEqual(['Cy']);
    expect(t.RegionInfo).toMatchObject({
      AppliedToDimensions: { W: 96, H: 64, Unit: 'pixel' },
      RegionList: [
        { Name: 'Cy', Type: 'Face', Area: { X: 0.25, Y: 0.4, W: 0.3, H: 0.4, Unit: 'normalized' } },
      ],
    });
  });

  it('finds pictures by person, by having faces and by how many, with a facet of people', async () => {
    const find = (q: string) => ctx.lib.searchIds(q, { limit: 100, offset: 0 }).sort();
    expect(find('person:"ana lima"')).toEqual([ids['lightroom.jpg']]);
    expect(find('person:Cy')).toEqual([ids['plain.jpg']]);
    expect(find('-person:Cy has:faces')).toEqual([ids['lightroom.jpg'], ids['digikam.jpg']].sort());
    expect(find('has:faces')).toHaveLength(3);
    expect(find('people:>=1')).toHaveLength(3);
    expect(find('people:0')).toEqual([]);
    expect(find('people:>=2')).toEqual([]);
    expect(find('person:Nobody')).toEqual([]);
    const facets = await dispatch(createHandlers(ctx.lib), 'facets', {});
    expect(facets.ok && (facets.value as { people: unknown }).people).toEqual([
      { name: 'Ana Lima', count: 1 },
      { name: 'Bo Chen-Li', count: 1 },
      { name: 'Cy', count: 1 },
    ]);
  });

  it('dam people lists, names, merges and removes faces', async () => {
    await ctx.lib.close();
    const dam = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, '--catalog', ctx.dir, ...args], { encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const list = JSON.parse(dam('people', '--json').out) as {
      id: number;
      name: string;
      sampleAssetId: number;
    }[];
    expect(list.map((p) => p.name)).toEqual(['Ana Lima', 'Bo Chen-Li', 'Cy']);
    expect(list[0]!.sampleAssetId).toBe(ids['lightroom.jpg']);
    const [ana, bo, cy] = list;
    expect(dam('people', 'merge', String(ana!.id), String(bo!.id)).code).toBe(0);
    const shown = JSON.parse(dam('show', String(ids['digikam.jpg']), '--json').out) as { people: string[] };
    expect(shown.people).toEqual(['Ana Lima']);
    expect(exifFaces(path.join(root, 'digikam.xmp')).PersonInImage).toEqual(['Ana Lima']);
    const faces = JSON.parse(dam('people', 'faces', String(ids['plain.jpg']), '--json').out) as {
      id: number;
    }[];
    const rm = dam('people', 'remove-face', String(faces[0]!.id));
    expect(rm.code, rm.err).toBe(0);
    expect(JSON.parse(dam('show', String(ids['plain.jpg']), '--json').out)).toMatchObject({
      people: [],
      faces: 0,
    });
    expect(dam('people').out).not.toContain('Cy');
    expect(cy).toBeDefined();
    const bad = dam('people', 'name', 'abc', 'X');
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    const named = dam('people', 'name', String(ana!.id), 'Ana', 'Lima', 'Souza');
    expect(named.out.trim()).toBe(`cluster ${ana!.id} is "Ana Lima Souza"`);
  });
});
