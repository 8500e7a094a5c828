// A link that leaves the app: in Electron the system browser opens it (through the
// preload bridge), in a browser it is an ordinary link to a new tab.
import type { ReactNode } from 'react';
import { Icon } from '../shell/icons';

/** openExternal opens a URL outside the app window. */
export function openExternal(url: string): void {
  if (window.wheelhouse) void window.wheelhouse.openExternal(url);
  else window.open(url, '_blank', 'noopener,noreferrer');
}

/** ExternalLink renders a link that opens in the system browser or a new tab. */
export function ExternalLink({ url, children, testId }: { url: string; children?: ReactNode; testId?: string }) {
  return (
    <a
      className="external-link"
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      onClick={(event) => {
        if (!window.wheelhouse) return;
        event.preventDefault();
        openExternal(url);
      }}
      data-testid={testId}
    >
      {children ?? url}
      <Icon name="external" size={12} />
    </a>
  );
}
