// Line icons drawn inline (no icon font, no network): stroke follows currentColor, so they take
// the theme's colours and states like text does.
const PATHS = {
  search: 'M11 4a7 7 0 1 0 0 14a7 7 0 0 0 0-14z M20 20l-3.8-3.8',
  close: 'M6 6l12 12 M18 6L6 18',
  plus: 'M12 5v14 M5 12h14',
  minus: 'M5 12h14',
  folder: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z',
  drive: 'M3 13l2.5-7h13l2.5 7 M3 13v5h18v-5z M7 16h.01 M11 16h.01',
  chevronRight: 'M9 6l6 6-6 6',
  chevronDown: 'M6 9l6 6 6-6',
  chevronLeft: 'M15 6l-6 6 6 6',
  star: 'M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z',
  flag: 'M5 21V4 M5 4h11l-2 4 2 4H5',
  reject: 'M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z M6 6l12 12',
  gear: 'M12 9a3 3 0 1 0 0 6a3 3 0 0 0 0-6z M19.4 13a7.8 7.8 0 0 0 0-2l2-1.6-2-3.4-2.4 1a7.6 7.6 0 0 0-1.7-1L15 3.5h-4l-.4 2.5a7.6 7.6 0 0 0-1.7 1l-2.4-1-2 3.4 2 1.6a7.8 7.8 0 0 0 0 2l-2 1.6 2 3.4 2.4-1a7.6 7.6 0 0 0 1.7 1l.4 2.5h4l.4-2.5a7.6 7.6 0 0 0 1.7-1l2.4 1 2-3.4z',
  sortDesc: 'M7 4v16 M3 16l4 4 4-4 M14 6h7 M14 11h5 M14 16h3',
  sortAsc: 'M7 20V4 M3 8l4-4 4 4 M14 6h3 M14 11h5 M14 16h7',
  image: 'M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4 M15 9h.01',
  film: 'M4 4h16v16H4z M8 4v16 M16 4v16 M4 8h4 M4 12h4 M4 16h4 M16 8h4 M16 12h4 M16 16h4',
  aperture:
    'M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z M14.3 8l-5.8 10 M9.7 8h11 M8.6 13.9L3.3 8 M14.5 16H3.8 M15.5 10l3.7 7',
  pen: 'M12 19l7-7 3 3-7 7z M18 13l-1.5-7.5L2 2l3.5 14.5L13 18z M2 2l7.6 7.6 M11 9a2 2 0 1 0 0 4a2 2 0 0 0 0-4z',
  file: 'M6 3h8l4 4v14H6z M14 3v4h4',
  music: 'M9 18V5l12-2v13 M9 18a3 3 0 1 1-6 0a3 3 0 0 1 6 0z M21 16a3 3 0 1 1-6 0a3 3 0 0 1 6 0z',
  cube: 'M12 2l9 5v10l-9 5-9-5V7z M3 7l9 5 9-5 M12 12v10',
  alert: 'M12 3L2 20h20z M12 9v5 M12 17h.01',
  trash: 'M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13',
  refresh: 'M20 11a8 8 0 0 0-14.6-4.5 M4 4v4h4 M4 13a8 8 0 0 0 14.6 4.5 M20 20v-4h-4',
  bookmark: 'M6 3h12v18l-6-4-6 4z',
  zoomIn: 'M11 4a7 7 0 1 0 0 14a7 7 0 0 0 0-14z M20 20l-3.8-3.8 M11 8v6 M8 11h6',
  zoomOut: 'M11 4a7 7 0 1 0 0 14a7 7 0 0 0 0-14z M20 20l-3.8-3.8 M8 11h6',
  check: 'M5 12l5 5 9-10',
  grid: 'M4 4h6v6H4z M14 4h6v6h-6z M4 14h6v6H4z M14 14h6v6h-6z',
  pin: 'M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11z M12 8a2 2 0 1 0 0 4a2 2 0 0 0 0-4z',
  missing: 'M6 3h8l4 4v14H6z M14 3v4h4 M9 11l6 6 M15 11l-6 6',
  sun: 'M12 8a4 4 0 1 0 0 8a4 4 0 0 0 0-8z M12 2v2 M12 20v2 M4.9 4.9l1.4 1.4 M17.7 17.7l1.4 1.4 M2 12h2 M20 12h2 M4.9 19.1l1.4-1.4 M17.7 6.3l1.4-1.4',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z',
  monitor: 'M3 4h18v12H3z M8 20h8 M12 16v4',
  library: 'M4 4h4v16H4z M10 4h4v16h-4z M16 5l3.8-1 3 15.5-3.8 1z',
  layers: 'M12 3l9 5-9 5-9-5z M3 13l9 5 9-5 M3 17.5l9 5 9-5',
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 0 0 0-18z M12 7v5l3 2',
  review: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z M12 9a3 3 0 1 0 0 6a3 3 0 0 0 0-6z',
  shield: 'M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z M9 12l2 2 4-4',
  compare: 'M3 5h8v14H3z M13 5h8v14h-8z',
  person: 'M12 4a4 4 0 1 0 0 8a4 4 0 0 0 0-8z M4 20c1.2-3.6 4.2-5.5 8-5.5s6.8 1.9 8 5.5',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  upload: 'M12 15V4 M7 9l5-5 5 5 M4 15v5h16v-5',
  download: 'M12 4v11 M7 10l5 5 5-5 M4 15v5h16v-5',
  chart: 'M4 20V10 M10 20V4 M16 20v-7 M22 20H2',
  user: 'M12 4a4 4 0 1 0 0 8a4 4 0 0 0 0-8z M4 21c0-4 3.6-6.5 8-6.5s8 2.5 8 6.5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({
  name,
  size = 16,
  filled = false,
  className,
}: {
  name: IconName;
  size?: number;
  filled?: boolean;
  className?: string;
}) {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ''}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
