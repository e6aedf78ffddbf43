import { CHANNELS, type Channel } from '../../../shared/governance';

/** A choice of one channel (web, social, email, print, partners). */
export function ChannelSelect({ value, onChange }: { value: Channel; onChange: (c: Channel) => void }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Channel)}>
      {CHANNELS.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
}
