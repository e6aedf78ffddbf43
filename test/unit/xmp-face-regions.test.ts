import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSidecar } from '../../electron/core/governance/xmp-read';
import { writeEmbeddedXmp, writeSidecar } from '../../electron/core/governance/xmp-write';
import { emptyValue, FIELDS, type FieldValues } from '../../electron/core/governance/fields';
import { readMetadata } from '../../electron/core/ingest/metadata/read-metadata';
import { tempDir } from '../helpers/corpus';

/** exiftool's structured reading of the face properties, as another application sees them. */
function exifFaces(file: string): Record<string, unknown> {
  const out = execFileSync('exiftool', [
    '-j',
    '-struct',
    '-XMP-mwg-rs:all',
    '-XMP-iptcExt:PersonInImage',
    file,
  ]).toString();
  return (JSON.parse(out) as Record<string, unknown>[])[0]!;
}

const emptyFieldValues = () =>
  Object.fromEntries(FIELDS.map((f) => [f, emptyValue(f)])) as unknown as FieldValues;

const content = (faces?: Parameters<typeof writeSidecar>[0]['faces']) => ({
  values: { ...emptyFieldValues(), title: 'Harbour' },
  approval: null,
  stamps: new Map(),
  conflicts: [],
  approvalLog: [],
  ...(faces ? { faces } : {}),
});

// As exiftool's MWG module writes them (the same structure Lightroom and Picasa write).
const LIGHTROOM_REGIONS =
  '-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=4000,H=3000,Unit=pixel},RegionList=[' +
  '{Area={X=0.5,Y=0.4,W=0.2,H=0.3,Unit=normalized},Name=Ana Lima,Type=Face},' +
  '{Area={X=0.1,Y=0.1,W=0.05,H=0.05,Unit=normalized},Name=Rex,Type=Pet},' +
  '{Area={X=0.8,Y=0.8,W=0.1,H=0.1,Unit=normalized},Type=Face}]}';

// As digiKam (exiv2) writes them: struct fields as attributes, and Windows Photo regions beside.
const DIGIKAM_SIDECAR = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:MP="http://ns.microsoft.com/photo/1.2/"
    xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
    xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
   <digiKam:TagsList><rdf:Seq><rdf:li>People/Bo Chen</rdf:li></rdf:Seq></digiKam:TagsList>
   <MP:RegionInfo rdf:parseType="Resource">
    <MPRI:Regions>
     <rdf:Bag>
      <rdf:li MPReg:Rectangle="0.2, 0.25, 0.1, 0.2" MPReg:PersonDisplayName="Bo Chen"/>
     </rdf:Bag>
    </MPRI:Regions>
   </MP:RegionInfo>
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="2000" stDim:h="1500" stDim:unit="pixel"/>
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
   <Iptc4xmpExt:PersonInImage><rdf:Bag><rdf:li>Bo Chen</rdf:li></rdf:Bag></Iptc4xmpExt:PersonInImage>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);

describe('people in XMP: PersonInImage and MWG face regions', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('dam-regions-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes names and regions that exiftool reads back as Lightroom would', () => {
    const file = path.join(dir, 'written.xmp');
    const xml = writeSidecar(
      content({
        regions: [
          { name: 'Ana Lima', box: { x: 0.4, y: 0.25, w: 0.2, h: 0.3 } },
          { name: 'Zoë & <Co>', box: { x: 0, y: 0, w: 0.1, h: 0.1 } },
          { name: 'Ana Lima', box: { x: 0.7, y: 0.5, w: 0.1, h: 0.1 } },
        ],
        dims: { w: 4000, h: 3000 },
      }),
    );
    fs.writeFileSync(file, xml);
    const t = exifFaces(file);
    expect(t.PersonInImage).toEqual(['Ana Lima', 'Zoë & <Co>']);
    const info = t.RegionInfo as {
      AppliedToDimensions: Record<string, unknown>;
      RegionList: { Name: string; Type: string; Area: Record<string, number | string> }[];
    };
    expect(info.AppliedToDimensions).toEqual({ W: 4000, H: 3000, Unit: 'pixel' });
    expect(info.RegionList.map((r) => [r.Name, r.Type])).toEqual([
      ['Ana Lima', 'Face'],
      ['Zoë & <Co>', 'Face'],
      ['Ana Lima', 'Face'],
    ]);
    // MWG areas name the centre of the box.
    const a = info.RegionList[0]!.Area;
    close(Number(a.X), 0.5);
    close(Number(a.Y), 0.4);
    close(Number(a.W), 0.2);
    close(Number(a.H), 0.3);
    expect(a.Unit).toBe('normalized');
    // And our own reader reads back what we wrote.
    const back = readSidecar(xml).regions!;
    expect(back.map((r) => r.name)).toEqual(['Ana Lima', 'Zoë & <Co>', 'Ana Lima']);
    close(back[0]!.box.x, 0.4);
    close(back[0]!.box.y, 0.25);
  });

  it('reads named face regions written by exiftool (Lightroom/Picasa style), pets and unnamed ones left out', () => {
    const file = path.join(dir, 'lightroom.xmp');
    execFileSync('exiftool', ['-q', '-o', file, LIGHTROOM_REGIONS]);
    const regions = readSidecar(fs.readFileSync(file, 'utf8')).regions!;
    expect(regions).toHaveLength(1);
    expect(regions[0]!.name).toBe('Ana Lima');
    close(regions[0]!.box.x, 0.4);
    close(regions[0]!.box.y, 0.25);
    close(regions[0]!.box.w, 0.2);
    close(regions[0]!.box.h, 0.3);
  });

  it('reads regions written the way digiKam writes them (attributes, Windows Photo regions beside)', () => {
    const data = readSidecar(DIGIKAM_SIDECAR);
    expect(data.regions).toHaveLength(1);
    expect(data.regions![0]!.name).toBe('Bo Chen');
    close(data.regions![0]!.box.x, 0.2);
    close(data.regions![0]!.box.y, 0.25);
    // Only Windows Photo regions: those are read.
    const mpOnly = DIGIKAM_SIDECAR.replace(/<mwg-rs:Regions[\s\S]*<\/mwg-rs:Regions>/, '');
    const mp = readSidecar(mpOnly).regions!;
    expect(mp.map((r) => r.name)).toEqual(['Bo Chen']);
    close(mp[0]!.box.w, 0.1);
    close(mp[0]!.box.h, 0.2);
    // No regions at all is not the same as regions without names.
    expect(readSidecar(writeSidecar(content())).regions).toBeNull();
  });

  it('keeps another application’s regions until the catalogue has its own, then writes only ours', () => {
    const kept = writeSidecar(content(), readSidecar(DIGIKAM_SIDECAR).foreign);
    expect(readSidecar(kept).regions!.map((r) => r.name)).toEqual(['Bo Chen']);
    const ours = writeSidecar(
      content({ regions: [{ name: 'Bo Chen', box: { x: 0.2, y: 0.25, w: 0.1, h: 0.2 } }], dims: null }),
      readSidecar(DIGIKAM_SIDECAR).foreign,
    );
    // One Regions and one PersonInImage property (ours), digiKam's own tags and MP regions still there.
    expect(ours.match(/<mwg-rs:Regions/g)).toHaveLength(1);
    expect(ours.match(/<Iptc4xmpExt:PersonInImage/g)).toHaveLength(1);
    expect(ours).toContain('digiKam:TagsList');
    expect(ours).toContain('MPReg:PersonDisplayName');
    const file = path.join(dir, 'ours.xmp');
    fs.writeFileSync(file, ours);
    expect(exifFaces(file).PersonInImage).toEqual(['Bo Chen']);
  });

  it('reads regions from the XMP inside a JPEG, and writes them into one', async () => {
    const jpg = path.join(dir, 'embedded.jpg');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } })
      .jpeg()
      .toFile(jpg);
    execFileSync('exiftool', ['-q', '-overwrite_original', LIGHTROOM_REGIONS, jpg]);
    const meta = await readMetadata({ path: jpg });
    expect(meta.faceRegions?.map((r) => r.name)).toEqual(['Ana Lima']);
    // A plain JPEG has none.
    const plain = path.join(dir, 'plain.jpg');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .jpeg()
      .toFile(plain);
    expect((await readMetadata({ path: plain })).faceRegions).toBeNull();
    const packet = writeEmbeddedXmp(emptyFieldValues(), [], {
      regions: [{ name: 'Ana Lima', box: { x: 0.4, y: 0.25, w: 0.2, h: 0.3 } }],
      dims: { w: 64, h: 48 },
    });
    const xmpFile = path.join(dir, 'embedded-packet.xmp');
    fs.writeFileSync(xmpFile, packet);
    expect(exifFaces(xmpFile).PersonInImage).toEqual(['Ana Lima']);
  });

  it('passes over regions whose numbers are not a box, and clips boxes to the picture', () => {
    const bad = DIGIKAM_SIDECAR.replace('stArea:x="0.25"', 'stArea:x="NaN"');
    // The MWG region is unreadable: the Windows Photo one stands in; without it, none.
    expect(readSidecar(bad).regions!.map((r) => r.name)).toEqual(['Bo Chen']);
    const noMp = bad.replace(/<MP:RegionInfo[\s\S]*<\/MP:RegionInfo>/, '');
    expect(readSidecar(noMp).regions).toEqual([]);
    const wide = DIGIKAM_SIDECAR.replace('stArea:w="0.1"', 'stArea:w="0.9"');
    const box = readSidecar(wide).regions![0]!.box;
    expect(box.x).toBe(0);
    close(box.w, 0.25 + 0.45);
  });
});
