import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * The heading of the user or role being managed, focused when it is chosen (keyboard and screen-reader users
 * land on it), with a button to close it.
 */
export function PrincipalHeader({ title, onClose, children }: { title: string; onClose: () => void; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  return (
    <header class="panel-header">
      <h2 tabIndex={-1} ref={heading}>
        {title}
      </h2>
      <div class="actions">
        {children}
        <button type="button" onClick={onClose} aria-label={`Close ${title}`}>
          Close
        </button>
      </div>
    </header>
  );
}
