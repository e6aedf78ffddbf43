import { describe, expect, it } from 'vitest';
import { bufferSource } from '../../electron/core/formats/byte-source';
import { readMdpm } from '../../electron/core/formats/avchd';
import { mdpmPayload } from '../fixtures/avchd';

/** A transport stream of `size`-byte packets: video PES filler on PID 0x100, then one carrying the MDPM. */
function stream(size: 188 | 192, fillerPackets: number): Buffer {
  const packets: Buffer[] = [];
  const packet = (start: boolean, payload: Buffer) => {
    const p = Buffer.alloc(size, 0xff);
    const at = size - 188;
    p[at] = 0x47;
    p[at + 1] = (start ? 0x40 : 0) | 0x01;
    p[at + 2] = 0x00;
    p[at + 3] = 0x10;
    payload.copy(p, at + 4, 0, Math.min(payload.length, 184));
    packets.push(p);
  };
  const pes = Buffer.from([0, 0, 1, 0xe0, 0, 0, 0x80, 0, 0]);
  packet(true, Buffer.concat([pes, Buffer.alloc(175, 0x11)]));
  for (let i = 0; i < fillerPackets; i++) packet(false, Buffer.alloc(184, 0x22));
  const sei = Buffer.concat([
    Buffer.from([0, 0, 0, 1, 0x06, 0x05, 36]),
    mdpmPayload({ wallClock: '2012-08-09T10:11:12', zoneMinutes: 120, makeCode: 0x1011 }),
    Buffer.from([0x80]),
  ]);
  packet(true, Buffer.concat([pes, sei]));
  return Buffer.concat(packets);
}

describe('AVCHD MDPM in a transport stream', () => {
  it('finds it past the first read in 188- and 192-byte packets alike', async () => {
    // 6000 packets: about 1.1 MB, more than one read of 4096 packets.
    for (const size of [188, 192] as const) {
      const m = await readMdpm(bufferSource(stream(size, 6000)));
      expect([size, m]).toEqual([size, { wallClock: '2012-08-09T10:11:12', offsetMin: 120, make: 'Canon' }]);
    }
  });

  it('says nothing for a stream without one, or bytes that are no stream', async () => {
    const none = stream(188, 10);
    none.fill(0x22, none.length - 150);
    expect(await readMdpm(bufferSource(none))).toBeNull();
    expect(await readMdpm(bufferSource(Buffer.from('not a transport stream at all')))).toBeNull();
  });
});
