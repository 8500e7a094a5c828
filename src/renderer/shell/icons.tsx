// Hand-drawn 16px line icons (no icon font or CDN: the CSP allows only our own files).
import type { ReactElement } from 'react';
import type { AreaId } from '../areas/areas';

const paths: Record<string, ReactElement> = {
  pause: (
    <>
      <path d="M5.5 3.5v9" />
      <path d="M10.5 3.5v9" />
    </>
  ),
  clusters: (
    <>
      <path d="M8 1.8 14 5 8 8.2 2 5z" />
      <path d="M2 8l6 3.2L14 8" />
      <path d="M2 11l6 3.2 6-3.2" />
    </>
  ),
  namespaces: (
    <>
      <rect x="2" y="2" width="5" height="5" rx="1" />
      <rect x="9" y="2" width="5" height="5" rx="1" />
      <rect x="2" y="9" width="5" height="5" rx="1" />
      <rect x="9" y="9" width="5" height="5" rx="1" strokeDasharray="2 1.5" />
    </>
  ),
  pods: (
    <>
      <path d="M8 1.6 13.6 4.8v6.4L8 14.4 2.4 11.2V4.8z" />
      <path d="M2.6 4.9 8 8l5.4-3.1M8 8v6.2" />
    </>
  ),
  services: (
    <>
      <circle cx="3.5" cy="8" r="1.8" />
      <circle cx="12.5" cy="3.5" r="1.8" />
      <circle cx="12.5" cy="12.5" r="1.8" />
      <path d="M5.2 7.2 10.8 4.3M5.2 8.8l5.6 2.9" />
    </>
  ),
  deployments: (
    <>
      <rect x="2" y="5" width="9" height="9" rx="1.2" />
      <path d="M5 2.5h7.3c.7 0 1.2.5 1.2 1.2V11" />
      <path d="M6.5 7.5v4M4.5 9.5h4" />
    </>
  ),
  config: (
    <>
      <path d="M2.5 4.5h5M11 4.5h2.5M2.5 11.5h2M8 11.5h5.5" />
      <circle cx="9.2" cy="4.5" r="1.7" />
      <circle cx="6.2" cy="11.5" r="1.7" />
    </>
  ),
  nodes: (
    <>
      <rect x="2" y="2.5" width="12" height="4.5" rx="1" />
      <rect x="2" y="9" width="12" height="4.5" rx="1" />
      <path d="M4.5 4.75h.01M4.5 11.25h.01M7 4.75h4M7 11.25h4" />
    </>
  ),
  events: <path d="M1.5 8.5h3l2-5 3 9 2-4h3" />,
  audit: (
    <>
      <path d="M8 1.5l5.5 2v4c0 3.4-2.3 5.9-5.5 7-3.2-1.1-5.5-3.6-5.5-7v-4z" />
      <path d="M5.5 8l1.8 1.8L10.8 6.3" />
    </>
  ),
  copy: (
    <>
      <rect x="5" y="5" width="8.5" height="8.5" rx="1.3" />
      <path d="M10.5 5V3.8c0-.7-.5-1.3-1.3-1.3H3.8c-.7 0-1.3.6-1.3 1.3v5.4c0 .8.6 1.3 1.3 1.3H5" />
    </>
  ),
  check: <path d="m3 8.5 3.2 3L13 4.5" />,
  warning: (
    <>
      <path d="M8 2 14.5 13.5h-13z" />
      <path d="M8 6.5v3.2M8 11.6h.01" />
    </>
  ),
  offline: (
    <>
      <path d="M2 2l12 12" />
      <path d="M4.6 9.2a4.8 4.8 0 0 1 2.2-1.3M11.4 9.2a4.8 4.8 0 0 0-1.1-.8M2 6.4a8.5 8.5 0 0 1 2.6-1.7M14 6.4a8.6 8.6 0 0 0-6-2.4" />
      <path d="M8 12.5h.01" />
    </>
  ),
  panel: (
    <>
      <rect x="1.8" y="2.5" width="12.4" height="11" rx="1.3" />
      <path d="M10 2.5v11" />
    </>
  ),
  globe: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M2 8h12M8 2c1.7 1.7 2.5 3.7 2.5 6S9.7 12.3 8 14C6.3 12.3 5.5 10.3 5.5 8S6.3 3.7 8 2z" />
    </>
  ),
  chevron: <path d="m5 6.5 3 3 3-3" />,
  overview: (
    <>
      <rect x="2" y="2" width="5.2" height="6.5" rx="1" />
      <rect x="8.8" y="2" width="5.2" height="3.8" rx="1" />
      <rect x="2" y="10.2" width="5.2" height="3.8" rx="1" />
      <rect x="8.8" y="7.5" width="5.2" height="6.5" rx="1" />
    </>
  ),
  plus: <path d="M8 3v10M3 8h10" />,
  close: <path d="m4 4 8 8M12 4l-8 8" />,
  trash: (
    <>
      <path d="M2.5 4.5h11M6.5 4.5V3h3v1.5" />
      <path d="M4 4.5l.7 9h6.6l.7-9M6.7 7v4.2M9.3 7v4.2" />
    </>
  ),
  play: <path d="M5 3.2v9.6L12.6 8z" />,
  stop: <rect x="4" y="4" width="8" height="8" rx="1.2" />,
  more: (
    <>
      <circle cx="3.5" cy="8" r=".9" />
      <circle cx="8" cy="8" r=".9" />
      <circle cx="12.5" cy="8" r=".9" />
    </>
  ),
  snapshot: (
    <>
      <path d="M2 5.5c0-.8.6-1.5 1.5-1.5h1.8l1-1.5h3.4l1 1.5h1.8c.8 0 1.5.7 1.5 1.5v6c0 .8-.7 1.5-1.5 1.5h-9c-.9 0-1.5-.7-1.5-1.5z" />
      <circle cx="8" cy="8.3" r="2.3" />
    </>
  ),
  restore: (
    <>
      <path d="M2.8 8a5.2 5.2 0 1 0 1.6-3.8" />
      <path d="M2.5 2.5v3h3" />
      <path d="M8 5.2V8l2 1.3" />
    </>
  ),
  search: (
    <>
      <circle cx="7" cy="7" r="4.2" />
      <path d="m10.2 10.2 3.3 3.3" />
    </>
  ),
  tag: (
    <>
      <path d="M2.5 2.5h5l6 6-5 5-6-6z" />
      <circle cx="5.3" cy="5.3" r=".9" />
    </>
  ),
  edit: <path d="M10.5 2.8 13.2 5.5 5.5 13.2H2.8v-2.7z" />,
  arrowRight: <path d="M3 8h10M9 4l4 4-4 4" />,
  arrowUp: <path d="M8 13V3M4 7l4-4 4 4" />,
  arrowDown: <path d="M8 3v10M4 9l4 4 4-4" />,
  download: (
    <>
      <path d="M8 2.5v7.5M4.8 7 8 10.2 11.2 7" />
      <path d="M2.5 11.5v1.3c0 .4.3.7.7.7h9.6c.4 0 .7-.3.7-.7v-1.3" />
    </>
  ),
  terminal: (
    <>
      <rect x="1.8" y="2.8" width="12.4" height="10.4" rx="1.3" />
      <path d="m4.5 6.3 2 1.7-2 1.7M8 10h3.5" />
    </>
  ),
  logs: (
    <>
      <path d="M3.5 2.5h6l3 3v8h-9z" />
      <path d="M9.5 2.5v3h3M5.5 8h5M5.5 10.5h5" />
    </>
  ),
  external: (
    <>
      <path d="M9.5 2.5h4v4M13.5 2.5 7.5 8.5" />
      <path d="M11.5 9.5v3.3c0 .4-.3.7-.7.7H3.2c-.4 0-.7-.3-.7-.7V5.2c0-.4.3-.7.7-.7h3.3" />
    </>
  ),
  scale: (
    <>
      <rect x="2" y="6" width="4" height="7" rx=".8" />
      <rect x="7" y="3" width="4" height="10" rx=".8" />
      <path d="M13.5 5v6M12 6.5l1.5-1.5L15 6.5" />
    </>
  ),
  refresh: (
    <>
      <path d="M13.2 8a5.2 5.2 0 1 1-1.6-3.8" />
      <path d="M13.5 2.5v3h-3" />
    </>
  ),
  history: (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <path d="M8 4.8V8l2.2 1.4" />
    </>
  ),
  eye: (
    <>
      <path d="M1.5 8S4 3.8 8 3.8 14.5 8 14.5 8 12 12.2 8 12.2 1.5 8 1.5 8z" />
      <circle cx="8" cy="8" r="2" />
    </>
  ),
  eyeOff: (
    <>
      <path d="M2 2l12 12" />
      <path d="M6.3 4.1A6.4 6.4 0 0 1 8 3.8c4 0 6.5 4.2 6.5 4.2a11 11 0 0 1-1.9 2.3M10.6 11.6A6 6 0 0 1 8 12.2C4 12.2 1.5 8 1.5 8a11.5 11.5 0 0 1 2.6-3" />
      <path d="M6.6 6.6a2 2 0 0 0 2.8 2.8" />
    </>
  ),
};

/** IconName is the name of one of the app's icons. */
export type IconName =
  | AreaId
  | 'copy'
  | 'check'
  | 'warning'
  | 'offline'
  | 'panel'
  | 'globe'
  | 'chevron'
  | 'plus'
  | 'close'
  | 'trash'
  | 'play'
  | 'stop'
  | 'more'
  | 'snapshot'
  | 'restore'
  | 'search'
  | 'tag'
  | 'edit'
  | 'arrowRight'
  | 'arrowUp'
  | 'arrowDown'
  | 'download'
  | 'terminal'
  | 'logs'
  | 'external'
  | 'scale'
  | 'refresh'
  | 'history'
  | 'eye'
  | 'eyeOff'
  | 'pause';

/** Icon draws one of the app's line icons; it is decorative, so screen readers skip it. */
export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name]}
    </svg>
  );
}

/** Logo is the Wheelhouse mark: a ship's wheel, rim and hub with eight handled spokes. */
export function Logo({ size = 22 }: { size?: number }) {
  const angles = [0, 45, 90, 135, 180, 225, 270, 315];
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <g fill="currentColor" stroke="currentColor" strokeLinecap="round">
        {angles.map((angle) => (
          <g key={angle} transform={`rotate(${angle} 12 12)`}>
            <line x1="12" y1="12" x2="12" y2="2.6" strokeWidth="1.5" />
            <circle cx="12" cy="2.2" r="1.5" stroke="none" />
          </g>
        ))}
        <circle cx="12" cy="12" r="6.4" fill="none" strokeWidth="2.2" />
        <circle cx="12" cy="12" r="2.3" stroke="none" />
      </g>
    </svg>
  );
}
